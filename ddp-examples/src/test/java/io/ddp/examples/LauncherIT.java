package io.ddp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ddp} launcher of this checkout, as a user calls it once DDP is built: it builds nothing,
 * writes nothing into the checkout (a read-only installation works), records its class-data archive
 * only in {@code DDP_CACHE_DIR}, and the JVM then maps that archive.
 */
class LauncherIT {
  @TempDir
  Path dir;

  @Test
  void onceBuiltTheLauncherWritesNothingIntoTheCheckoutAndItsArchiveIsUsed() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.exists(repo.resolve("ddp-examples/target/ddp-launcher.classpath")),
        "the launcher has not built DDP in this checkout yet: run ./ddp once (CI does, with the README's first command)");
    Path cache = dir.resolve("cache");
    Map<String, String> before = snapshot(repo);

    // First call with an empty cache: records the archive (a quickstart run, outputs in a temporary directory).
    Result first = ddp(repo, cache, "--version");
    assertThat(first.code).as(first.output).isZero();
    assertThat(first.output).contains("ddp ").doesNotContain("building DDP");
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).as(first.output)
          .singleElement().satisfies(name -> assertThat(name).startsWith("cds-").endsWith(".jsa"));
    }

    // Second call: nothing recorded again, and the JVM maps the archive (its own log says so).
    Result second = ddp(repo, cache, "--version", "-Xlog:cds=info");
    assertThat(second.code).as(second.output).isZero();
    assertThat(second.output).doesNotContain("recording").contains("Mapped dynamic region");

    // With the archive switched off, no archive option reaches the JVM.
    Result off = ddp(repo, cache, "--version", "-Xlog:cds=info", "DDP_CDS=off");
    assertThat(off.code).as(off.output).isZero();
    assertThat(off.output).doesNotContain("Mapped dynamic region");

    assertThat(snapshot(repo)).as("files of the checkout after calling the launcher").isEqualTo(before);
  }

  @Test
  void aMisspeltPipeClassInAJarGetsADidYouMeanThroughTheLauncher() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.exists(repo.resolve("ddp-examples/target/ddp-launcher.classpath")),
        "the launcher has not built DDP in this checkout yet: run ./ddp once (CI does, with the README's first command)");
    // The launcher puts the examples on the class path as their jar: the package is scanned in the jar.
    String wordcount = Files.readString(repo.resolve("pipelines/wordcount.json"))
        .replace("\"io.ddp.examples.wordcount.CountWords\"", "\"io.ddp.examples.wordcount.CountWord\"")
        .replace("${pipeline.dir}", repo.resolve("pipelines").toString());
    Path pipeline = Files.writeString(dir.resolve("typo.json"), wordcount);
    Result r = ddp(repo, dir.resolve("cache"), "validate", "DDP_CDS=off", "--no-spark", pipeline.toString());
    assertThat(r.code).as(r.output).isEqualTo(2);
    assertThat(r.output).contains("no class named 'io.ddp.examples.wordcount.CountWord' in package io.ddp.examples.wordcount"
        + " (did you mean 'io.ddp.examples.wordcount.CountWords'?); its pipe classes are CountWords, SplitWords");
  }

  record Result(int code, String output) {}

  /**
   * {@code ./ddp ARG} with the cache in {@code cache}; more items: a JVM option ({@code -X...}), NAME=VALUE for
   * the environment, or a further argument.
   */
  private Result ddp(Path repo, Path cache, String arg, String... more) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(repo.resolve("ddp").toString(), arg));
    for (String m : more) {
      if (!m.startsWith("-X") && !m.contains("=")) {
        cmd.add(m);
      } else if (m.startsWith("--")) {
        cmd.add(m);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("DDP_CACHE_DIR", cache.toString());
    pb.environment().remove("DDP_JAVA_OPTS");
    pb.environment().remove("DDP_CDS");
    for (String m : more) {
      if (m.startsWith("-X")) {
        pb.environment().put("DDP_JAVA_OPTS", m);
      } else if (m.contains("=") && !m.startsWith("-")) {
        pb.environment().put(m.substring(0, m.indexOf('=')), m.substring(m.indexOf('=') + 1));
      }
    }
    Path log = dir.resolve("launcher.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 5 minutes: " + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  /**
   * Every file of the checkout with its size and modification time, except Git's and what Maven writes
   * under a module's target/ subdirectories while this test runs (its reports); target/'s own files
   * (the jars, the launcher's class path) are included.
   */
  private static Map<String, String> snapshot(Path repo) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path rel = repo.relativize(p);
        List<String> parts = Stream.iterate(rel, q -> q != null, Path::getParent).map(q -> q.getFileName().toString()).toList();
        if (parts.contains(".git") || parts.contains("node_modules")) {
          continue;
        }
        int target = -1;
        for (int i = 0; i < rel.getNameCount(); i++) {
          if (rel.getName(i).toString().equals("target")) {
            target = i;
            break;
          }
        }
        if (target >= 0 && rel.getNameCount() > target + 2) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        out.put(rel.toString(), a.size() + "@" + a.lastModifiedTime().toMillis());
      }
    }
    return out;
  }
}
