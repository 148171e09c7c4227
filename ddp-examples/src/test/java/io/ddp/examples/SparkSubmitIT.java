package io.ddp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner jar through Spark's own spark-submit ({@code org.apache.spark.deploy.SparkSubmit}) in a
 * separate JVM, on a class path of Spark's jars only, as a cluster would run it.
 */
class SparkSubmitIT {
  @TempDir
  Path dir;

  @Test
  void runnerJarRunsTheQuickstartUnderSparkSubmit() throws Exception {
    Path target = Path.of("target");
    Path runner;
    try (Stream<Path> files = Files.list(target)) {
      runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no runner jar in target/: run 'mvn package' first"));
    }
    Path repo = Path.of("..").toAbsolutePath().normalize();
    // Spark and its dependencies only: DDP's own classes must come from the runner jar.
    String sparkClasspath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).toAbsolutePath().normalize().startsWith(repo))
        // DDP's modules from the local Maven repository (a build resumed with -rf resolves them there).
        .filter(e -> !e.replace('\\', '/').contains("/io/ddp/"))
        .filter(e -> !e.contains("picocli") && !e.contains("guice") && !e.contains("junit") && !e.contains("assertj"))
        .collect(Collectors.joining(File.pathSeparator));
    Path out = dir.resolve("out");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        // The class path goes in an argument file: a long command line can crash ONNX Runtime's native
        // initialisation (exit 139), as the ddp launcher documents.
        "@" + classpathArgFile(dir, sparkClasspath), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--class", "io.ddp.spark.DdpMain",
        runner.toAbsolutePath().toString(),
        "run", repo.resolve("pipelines/quickstart.json").toString(), "--var", "out=" + out));
    Path log = dir.resolve("spark-submit.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = pb.start();
    boolean finished = process.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(finished).as("spark-submit finished in time").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("quickstart succeeded").contains("OutputData: 320 rows");
    try (Stream<Path> parts = Files.list(out.resolve("scored_reviews"))) {
      assertThat(parts.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".csv")).contains("_SUCCESS");
    }
  }

  private static String classpathArgFile(Path dir, String classpath) throws java.io.IOException {
    Path file = dir.resolve("spark-submit.args");
    Files.writeString(file, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
    return file.toAbsolutePath().toString();
  }
}
