package io.ddp.spark.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SparkSessionExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL while it writes leaves the declared location as it was (issue #4). */
@ExtendWith(SparkSessionExtension.class)
class KilledRunTest {
  @TempDir
  Path dir;

  @Test
  void aKilledRunLeavesThePreviousOverwriteTargetIntact(SparkSession spark) throws Exception {
    Path ids = dir.resolve("ids");
    spark.range(1, 41).toDF("id").repartition(4).write().parquet(ids.toString());
    Path out = dir.resolve("out");
    spark.range(100, 103).toDF("id").write().parquet(out.toString());
    Path p = dir.resolve("slow.json");
    Files.writeString(p, "{\"name\": \"slow\", \"data\": [{\"dataId\": \"Src\", \"location\": \"" + ids + "\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + out + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Src\"], \"transformerType\": \"SlowRows\", \"outputDataId\": \"Out\", \"params\": {\"ms\": 300}}]}");

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    cmd.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "io.ddp.spark.DdpMain",
        "run", p.toString(), "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--state-dir", dir.resolve("state").toString()));
    Path log = dir.resolve("run.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process run = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      // Wait until Spark is writing into the staging directory, then kill the JVM without warning.
      while (stagingFiles().isEmpty() && run.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(run.isAlive()).as("the run was still writing: " + Files.readString(log)).isTrue();
      assertThat(stagingFiles()).isNotEmpty();
      run.destroyForcibly();
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      run.destroyForcibly();
    }

    assertThat(spark.read().parquet(out.toString()).collectAsList()).extracting(r -> r.getLong(0))
        .containsExactlyInAnyOrder(100L, 101L, 102L);
    assertThat(Files.readString(dir.resolve("state").toFile().listFiles()[0].toPath())).contains("\"status\" : \"running\"");
  }

  private List<String> stagingFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".out.ddp-staging-")).collect(Collectors.toList());
    }
  }
}
