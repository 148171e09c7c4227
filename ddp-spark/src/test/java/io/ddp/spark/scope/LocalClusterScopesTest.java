package io.ddp.spark.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scopes on separate executor JVMs: a Spark {@code local-cluster[2,1,1024]} (a master, two workers,
 * one executor JVM each) started by a driver in its own JVM, with a SPARK_HOME made of links to the
 * jars on this test's class path (issue #8).
 */
class LocalClusterScopesTest {
  @TempDir
  Path dir;

  @Test
  void instanceScopeOncePerExecutorJvmAndPartitionScopeOncePerPartition() throws Exception {
    Path jars = Files.createDirectories(dir.resolve("spark-home/jars"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.exists(p) && !Files.exists(jars.resolve(p.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
      }
    }
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), LocalClusterScopesMain.class.getName());
    Path log = dir.resolve("driver.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(done).as("the local-cluster run finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    Map<String, String> result = new HashMap<>();
    try (Stream<String> lines = output.lines()) {
      lines.filter(l -> l.startsWith("RESULT ")).forEach(l -> {
        String kv = l.substring(7);
        result.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      });
    }
    int jvms = Integer.parseInt(result.get("jvms"));
    assertThat(jvms).as("tasks ran in both executor JVMs").isEqualTo(2);
    assertThat(output).as("the driver JVM ran no task").doesNotContain("RESULT jvms=3");
    assertThat(Long.parseLong(result.get("instanceCreations"))).as("one per executor JVM, over 2 jobs x 16 tasks").isEqualTo(jvms);
    assertThat(Long.parseLong(result.get("instanceObjects"))).isEqualTo(jvms);
    assertThat(Long.parseLong(result.get("partitionCreations"))).as("one per partition, in each of 2 jobs").isEqualTo(32);
    assertThat(Long.parseLong(result.get("partitionObjects"))).isEqualTo(32);
  }
}
