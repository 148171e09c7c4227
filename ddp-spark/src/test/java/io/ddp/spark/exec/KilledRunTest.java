package io.ddp.spark.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SparkSessionExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.ddp.spark.cli.DdpCommandTest;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL while it writes leaves the declared location as it was (issue #4); a run whose
 * thread is interrupted cancels its pipes, commits nothing, and ends on record as failed (issue #16).
 */
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
    assertThat(Files.readString(stateFile(dir.resolve("state")))).contains("\"status\" : \"running\"");
  }

  @Test
  void anInterruptedRunCancelsItsPipesCommitsNothingAndEndsOnRecord(SparkSession spark) throws Exception {
    Path ids = dir.resolve("ids");
    spark.range(1, 21).toDF("id").coalesce(2).write().parquet(ids.toString());
    Path out = dir.resolve("out");
    spark.range(100, 103).toDF("id").write().parquet(out.toString());
    Path report = dir.resolve("report.json");
    Path state = dir.resolve("state");
    Path p = dir.resolve("interrupted.json");
    // 10 rows per task at 1 s each: only a cancelled job ends within the test's bound.
    Files.writeString(p, "{\"name\": \"interrupted\", \"data\": [{\"dataId\": \"Src\", \"location\": \"" + ids + "\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + out + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"},"
        + " {\"dataId\": \"After\", \"location\": \"" + dir.resolve("after") + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Src\"], \"transformerType\": \"SlowRows\", \"outputDataId\": \"Out\", \"params\": {\"ms\": 1000}},"
        + " {\"inputDataId\": [\"Out\"], \"transformerType\": \"sql\", \"outputDataId\": \"After\", \"params\": {\"query\": \"SELECT id FROM Out\"}}]}");

    CountDownLatch jobStarted = new CountDownLatch(1);
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String job = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
        if (job != null && job.contains("SlowRows")) {
          jobStarted.countDown();
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    AtomicReference<DdpCommandTest.Outcome> outcome = new AtomicReference<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    Thread run = new Thread(() -> {
      outcome.set(DdpCommandTest.ddp("run", p.toString(), "--state-dir", state.toString(), "--report", report.toString()));
      interruptKept.set(Thread.currentThread().isInterrupted());
    }, "interrupted-run");
    try {
      run.start();
      assertThat(jobStarted.await(60, TimeUnit.SECONDS)).as("the slow pipe's job started").isTrue();
      long t0 = System.nanoTime();
      run.interrupt();
      run.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(run.isAlive()).as("the run returned after the interrupt").isFalse();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).as("the running job was cancelled, not waited for")
          .isLessThan(8);
    } finally {
      spark.sparkContext().removeSparkListener(listener);
      run.interrupt();
    }

    DdpCommandTest.Outcome o = outcome.get();
    assertThat(o.code()).as(o.err()).isEqualTo(1);
    assertThat(o.err()).contains("ddp run: The run was interrupted while pipe #1 SlowRows -> Out ran: they were cancelled")
        .contains("cancelled: #1 SlowRows -> Out").contains("skipped: #2 sql -> After").contains("--resume");
    assertThat(interruptKept).as("the caller still sees the interrupt").isTrue();
    // Nothing committed, nothing left behind: the old data is intact and no hidden sibling remains.
    assertThat(spark.read().parquet(out.toString()).collectAsList()).extracting(r -> r.getLong(0))
        .containsExactlyInAnyOrder(100L, 101L, 102L);
    assertThat(dir.resolve("after")).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".out."))).isEmpty();
    }
    // On record: the state says failed (so --resume works), and the report names what happened to each pipe.
    File[] states = state.toFile().listFiles();
    assertThat(states).as("the run state and its events (for DDP Studio)").hasSize(2);
    assertThat(Files.readString(stateFile(state))).contains("\"status\" : \"failed\"").contains("interrupted");
    List<String> events = Files.readAllLines(Path.of(io.ddp.spark.cli.RunLog.fileFor(stateFile(state).toString())));
    assertThat(events.get(events.size() - 1)).contains("\"type\":\"end\"").contains("\"status\":\"failed\"").contains("interrupted");
    String json = Files.readString(report);
    assertThat(json).contains("\"status\" : \"failed\"").contains("The run was interrupted while pipe #1 SlowRows -> Out ran")
        .contains("\"CANCELLED\"").contains("\"SKIPPED\"");
  }

  /** The run state file in a state directory (beside it: the run's events file). */
  private static Path stateFile(Path stateDir) throws Exception {
    try (Stream<Path> files = Files.list(stateDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
    }
  }

  private List<String> stagingFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".out.ddp-staging-")).collect(Collectors.toList());
    }
  }
}
