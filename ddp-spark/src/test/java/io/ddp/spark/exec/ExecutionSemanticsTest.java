package io.ddp.spark.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.plan.PlannedPipe;
import io.ddp.spark.fixtures.StatePipes;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Explicit state, concurrency, failure handling and atomic sinks (issue #4). */
@ExtendWith(SparkSessionExtension.class)
class ExecutionSemanticsTest {
  @TempDir
  Path dir;

  private String ids;

  @BeforeEach
  void source(SparkSession spark) {
    ids = dir.resolve("ids").toString();
    spark.range(1, 21).toDF("id").coalesce(2).write().parquet(ids);
    StatePipes.EVENTS.clear();
    StatePipes.FLAKY_FAILS.set(false);
  }

  private Path pipeline(String data, String transformers) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"name\": \"sem\", \"data\": [{\"dataId\": \"Src\", \"location\": \"" + ids + "\", \"format\": \"parquet\"}, "
        + data + "], \"transformers\": [" + transformers + "]}");
    return p;
  }

  private String sink(String id) {
    return "{\"dataId\": \"" + id + "\", \"location\": \"" + dir.resolve(id) + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"}";
  }

  private static String pipe(String in, String type, String out) {
    return "{\"inputDataId\": [" + Stream.of(in.split(",")).map(s -> "\"" + s + "\"").collect(Collectors.joining(", "))
        + "], \"transformerType\": \"" + type + "\", \"outputDataId\": \"" + out + "\"}";
  }

  private static String sql(String in, String query, String out) {
    return "{\"inputDataId\": [" + Stream.of(in.split(",")).map(s -> "\"" + s + "\"").collect(Collectors.joining(", "))
        + "], \"transformerType\": \"sql\", \"outputDataId\": \"" + out + "\", \"params\": {\"query\": \"" + query + "\"}}";
  }

  private static int persistentRdds(SparkSession spark) {
    return spark.sparkContext().getPersistentRDDs().size();
  }

  @Test
  void aDatasetReadByTwoConsumersIsComputedOnce(SparkSession spark) throws Exception {
    String transformers = pipe("Src", "Counted", "Shared") + ", " + sql("Shared", "SELECT id FROM Shared WHERE id % 2 = 0", "Even")
        + ", " + sql("Shared", "SELECT id FROM Shared WHERE id % 2 = 1", "Odd");
    StatePipes.evaluations = spark.sparkContext().longAccumulator("auto");
    PipelineTester.of(spark, pipeline("{\"dataId\": \"Shared\"}, " + sink("Even") + ", " + sink("Odd"), transformers))
        .writeSinks(true).run();
    assertThat(StatePipes.evaluations.value()).as("20 rows evaluated once").isEqualTo(20);

    // The same pipeline told not to persist computes the shared dataset once per consumer.
    StatePipes.evaluations = spark.sparkContext().longAccumulator("none");
    PipelineTester.of(spark, pipeline("{\"dataId\": \"Shared\", \"persist\": \"none\"}, " + sink("Even") + ", " + sink("Odd"), transformers))
        .writeSinks(true).run();
    // (Spark may evaluate the UDF in a consumer's filter and again in its projection: at least twice over.)
    assertThat(StatePipes.evaluations.value()).as("20 rows evaluated again by each of 2 consumers").isGreaterThanOrEqualTo(40);
    assertThat(persistentRdds(spark)).isZero();
  }

  @Test
  void plainMetricsOfADatasetDeclaredPersistNoneAreObservedWhileItsReaderComputesIt(SparkSession spark) throws Exception {
    String metrics = ", \"metrics\": [{\"metricId\": \"rows\", \"dataId\": \"Shared\", \"expression\": \"count(1)\"},"
        + " {\"metricId\": \"total\", \"dataId\": \"Shared\", \"expression\": \"sum(id)\"}]}";
    Path p = pipeline("{\"dataId\": \"Shared\", \"persist\": \"none\"}, " + sink("A"),
        pipe("Src", "Counted", "Shared") + ", " + sql("Shared", "SELECT id FROM Shared WHERE id > 5", "A"));
    Files.writeString(p, Files.readString(p).replaceAll("\\}$", metrics));

    StatePipes.evaluations = spark.sparkContext().longAccumulator("in place");
    RunResult written = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(StatePipes.evaluations.value()).as("computed once, by the write of A, not by a count of its own").isEqualTo(20);
    assertThat(written.metric("rows")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(20));
    assertThat(written.metric("total")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(210));
    assertThat(persistentRdds(spark)).isZero();

    // Captured (lazy) outputs: no action of the run computes Shared, so it is counted for its metrics.
    RunResult captured = PipelineTester.of(spark, p).run();
    assertThat(captured.metric("rows")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(20));
  }

  @Test
  void aSharedDatasetIsKeptUntilItsLastReaderAndReleasedAfter(SparkSession spark) throws Exception {
    StatePipes.evaluations = spark.sparkContext().longAccumulator("kept");
    List<String> cachedAtStart = new CopyOnWriteArrayList<>();
    RunListener probe = new RunListener() {
      @Override
      public void pipeStarted(PlannedPipe pipe) {
        cachedAtStart.add("#" + pipe.index() + "=" + persistentRdds(spark));
      }

      @Override
      public void pipeFinished(RunResult.PipeOutcome outcome) {
        StatePipes.EVENTS.add("finished #" + outcome.index());
      }
    };
    Path p = pipeline("{\"dataId\": \"Shared\"}, " + sink("A") + ", " + sink("B"),
        pipe("Src", "Counted", "Shared") + ", " + sql("Shared", "SELECT id FROM Shared", "A") + ", " + sql("Shared", "SELECT id * 2 AS id FROM Shared", "B"));
    PipelineTester.of(spark, p).writeSinks(true).parallelism(1).listener(probe).run();

    assertThat(cachedAtStart).contains("#2=1", "#3=1");
    List<String> events = StatePipes.EVENTS;
    assertThat(events).contains("released Shared", "finished #2", "finished #3");
    assertThat(events.indexOf("released Shared")).as(events.toString())
        .isGreaterThan(events.indexOf("finished #2")).isGreaterThan(events.indexOf("finished #3"));
    assertThat(persistentRdds(spark)).as("nothing cached after the run").isZero();
    assertThat(StatePipes.evaluations.value()).isEqualTo(20);
  }

  @Test
  void cleanupsRunAndCachesAreReleasedWhenTheRunFails(SparkSession spark) throws Exception {
    StatePipes.evaluations = spark.sparkContext().longAccumulator("failing");
    StatePipes.FLAKY_FAILS.set(true);
    Path p = pipeline("{\"dataId\": \"Shared\"}, {\"dataId\": \"X\"}, " + sink("A") + ", " + sink("B"),
        pipe("Src", "Counted", "Shared") + ", " + sql("Shared", "SELECT id FROM Shared", "A") + ", " + pipe("Shared", "Flaky", "X")
            + ", " + sql("X", "SELECT id FROM X", "B"));
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).parallelism(1).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessage("Pipe #3 Flaky -> X failed: IllegalStateException: flaky dependency unavailable");
    assertThat(StatePipes.EVENTS).contains("released Shared");
    assertThat(persistentRdds(spark)).isZero();
    assertThat(spark.catalog().listTables().collectAsList()).noneMatch(t -> t.name().startsWith("ddp_"));
  }

  @Test
  void aWideDagGivesTheSameResultsConcurrentlyAndSequentially(SparkSession spark) throws Exception {
    StringBuilder data = new StringBuilder();
    List<String> pipes = new ArrayList<>();
    List<String> branches = new ArrayList<>();
    for (int b = 1; b <= 10; b++) {
      data.append(b == 1 ? "" : ", ").append("{\"dataId\": \"B").append(b).append("\"}");
      pipes.add(sql("Src", "SELECT id % " + (b + 1) + " AS k, count(*) AS n, sum(id * " + b + ") AS s FROM Src GROUP BY 1", "B" + b));
      branches.add("B" + b);
    }
    String union = branches.stream().map(x -> "SELECT '" + x + "' AS branch, k, n, s FROM " + x).collect(Collectors.joining(" UNION ALL "));
    pipes.add(sql(String.join(",", branches), union, "All"));
    Path p = pipeline(data + ", {\"dataId\": \"All\"}", String.join(", ", pipes));

    RunResult sequential = PipelineTester.of(spark, p).parallelism(1).run();
    RunResult concurrent = PipelineTester.of(spark, p).parallelism(6).run();
    assertThat(concurrent.captured().keySet()).isEqualTo(sequential.captured().keySet()).hasSize(11);
    for (String id : sequential.captured().keySet()) {
      DataFrameAssertions.assertSameRows(concurrent.captured().get(id), sequential.captured().get(id));
    }
    assertThat(sequential.captured().get("All").count()).isEqualTo(2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11);
  }

  @Test
  void readyPipesRunAtTheSameTimeUpToTheParallelism(SparkSession spark) throws Exception {
    String sleepy = Stream.of(1, 2, 3).map(i -> "{\"inputDataId\": [\"Src\"], \"transformerType\": \"Sleep\", \"outputDataId\": \"S" + i
        + "\", \"params\": {\"ms\": 600}}").collect(Collectors.joining(", "));
    Path p = pipeline("{\"dataId\": \"S1\"}, {\"dataId\": \"S2\"}, {\"dataId\": \"S3\"}", sleepy);

    PipelineTester.of(spark, p).parallelism(3).run();
    assertThat(maxOverlap(StatePipes.EVENTS)).as(StatePipes.EVENTS.toString()).isGreaterThanOrEqualTo(2);
    StatePipes.EVENTS.clear();
    PipelineTester.of(spark, p).parallelism(1).run();
    assertThat(maxOverlap(StatePipes.EVENTS)).as(StatePipes.EVENTS.toString()).isEqualTo(1);
  }

  private static int maxOverlap(List<String> events) {
    int now = 0;
    int max = 0;
    for (String e : events) {
      now += e.startsWith("start") ? 1 : e.startsWith("end") ? -1 : 0;
      max = Math.max(max, now);
    }
    return max;
  }

  @Test
  void everyJobIsAttributedToItsPipe(SparkSession spark) throws Exception {
    List<String[]> jobs = new CopyOnWriteArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String group = start.properties().getProperty("spark.jobGroup.id");
        if (group != null && group.startsWith("ddp-")) {
          jobs.add(new String[] {group, start.properties().getProperty("spark.scheduler.pool"),
              start.properties().getProperty("spark.job.description")});
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    try {
      Path p = pipeline(sink("A") + ", " + sink("B"), sql("Src", "SELECT id FROM Src WHERE id < 5", "A") + ", "
          + sql("Src", "SELECT id FROM Src WHERE id > 15", "B"));
      PipelineTester.of(spark, p).writeSinks(true).run();
      io.ddp.testing.SharedSpark.awaitListenerEvents(spark);
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    Map<String, List<String[]>> byPool = jobs.stream().collect(Collectors.groupingBy(j -> j[1]));
    assertThat(byPool.keySet()).containsExactlyInAnyOrder("ddp.sem.#1", "ddp.sem.#2", "ddp.sem.Src");
    for (String[] job : jobs) {
      String pool = job[1];
      String suffix = pool.substring("ddp.sem.".length()).replace("#", "");
      assertThat(job[0]).matches("ddp-[0-9a-f]{8}-" + suffix);
      assertThat(job[2]).startsWith("ddp sem: ");
    }
    assertThat(byPool.get("ddp.sem.#1").get(0)[2]).isEqualTo("ddp sem: #1 sql -> A");
    assertThat(byPool.get("ddp.sem.#2").get(0)[2]).isEqualTo("ddp sem: #2 sql -> B");
  }

  @Test
  void anErrorInAPipeIsAFailureLikeAnyOther(SparkSession spark) throws Exception {
    Path p = pipeline(sink("Slow") + ", " + sink("After") + ", {\"dataId\": \"Bad\"}, " + sink("BadOut"),
        "{\"inputDataId\": [\"Src\"], \"transformerType\": \"SlowRows\", \"outputDataId\": \"Slow\", \"params\": {\"ms\": 1000}}, "
            + sql("Slow", "SELECT id FROM Slow", "After") + ", "
            + "{\"inputDataId\": [\"Src\"], \"transformerType\": \"Sleep\", \"outputDataId\": \"Bad\", \"params\": {\"ms\": 700}}, "
            + pipe("Bad", "Unlinked", "BadOut"));
    PipeFailedException e;
    String logs;
    try (io.ddp.spark.fixtures.LogCapture captured = io.ddp.spark.fixtures.LogCapture.start("error-in-a-pipe")) {
      e = org.assertj.core.api.Assertions.catchThrowableOfType(PipeFailedException.class,
          () -> PipelineTester.of(spark, p).writeSinks(true).parallelism(4).run());
      logs = captured.text();
    }
    assertThat(e).hasMessageContaining("Pipe #4 Unlinked -> BadOut failed: NoClassDefFoundError: com/example/MissingLibrary");
    assertThat(logs).contains("ERROR io.ddp.spark.exec.SparkExecutor FAILED #4 Unlinked -> BadOut")
        .contains("WARN io.ddp.spark.exec.SparkExecutor CANCELLED #1 SlowRows -> Slow").doesNotContain("FAILED #1");
    Map<Integer, RunResult.Status> statuses = e.result().pipes().stream()
        .collect(Collectors.toMap(RunResult.PipeOutcome::index, RunResult.PipeOutcome::status));
    assertThat(statuses).containsEntry(1, RunResult.Status.CANCELLED).containsEntry(2, RunResult.Status.SKIPPED)
        .containsEntry(3, RunResult.Status.SUCCEEDED).containsEntry(4, RunResult.Status.FAILED);
    // The run returns only after the cancelled pipe ended: no commit can follow it.
    assertThat(dir.resolve("Slow")).as("the cancelled sink left nothing").doesNotExist();
    assertThat(hiddenSiblings()).isEmpty();
  }

  @Test
  void aFailureCancelsRunningPipesAndSkipsTheRest(SparkSession spark) throws Exception {
    StatePipes.FLAKY_FAILS.set(true);
    Path p = pipeline(sink("Slow") + ", " + sink("After") + ", {\"dataId\": \"Bad\"}, " + sink("BadOut"),
        "{\"inputDataId\": [\"Src\"], \"transformerType\": \"SlowRows\", \"outputDataId\": \"Slow\", \"params\": {\"ms\": 1000}}, "
            + sql("Slow", "SELECT id FROM Slow", "After") + ", "
            + "{\"inputDataId\": [\"Src\"], \"transformerType\": \"Sleep\", \"outputDataId\": \"Bad0\", \"params\": {\"ms\": 700}}".replace("Bad0", "Bad")
            + ", " + pipe("Bad", "Flaky", "BadOut"));
    PipeFailedException e = org.assertj.core.api.Assertions.catchThrowableOfType(PipeFailedException.class,
        () -> PipelineTester.of(spark, p).writeSinks(true).parallelism(4).run());
    assertThat(e).hasMessage("Pipe #4 Flaky -> BadOut failed: IllegalStateException: flaky dependency unavailable");
    Map<Integer, RunResult.Status> statuses = e.result().pipes().stream()
        .collect(Collectors.toMap(RunResult.PipeOutcome::index, RunResult.PipeOutcome::status));
    assertThat(statuses).containsEntry(1, RunResult.Status.CANCELLED).containsEntry(2, RunResult.Status.SKIPPED)
        .containsEntry(3, RunResult.Status.SUCCEEDED).containsEntry(4, RunResult.Status.FAILED);
    assertThat(dir.resolve("Slow")).as("the cancelled sink left nothing").doesNotExist();
    assertThat(hiddenSiblings()).isEmpty();
  }

  @Test
  void aFailedWriteLeavesThePreviousOverwriteTargetIntact(SparkSession spark) throws Exception {
    Path good = pipeline(sink("Out"), sql("Src", "SELECT id FROM Src WHERE id <= 3", "Out"));
    PipelineTester.of(spark, good).writeSinks(true).run();
    Path bad = pipeline("{\"dataId\": \"Checked\"}, " + sink("Out"),
        "{\"inputDataId\": [\"Src\"], \"transformerType\": \"FailOnId\", \"outputDataId\": \"Checked\", \"params\": {\"id\": 17}}, "
            + sql("Checked", "SELECT id FROM Checked", "Out"));
    assertThatThrownBy(() -> PipelineTester.of(spark, bad).writeSinks(true).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("Pipe #2 sql -> Out failed: cannot write dataset 'Out'")
        .hasMessageContaining("row 17 is corrupt");
    Dataset<Row> after = spark.read().parquet(dir.resolve("Out").toString());
    assertThat(after.collectAsList()).extracting(r -> r.getLong(0)).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(hiddenSiblings()).isEmpty();
  }

  @Test
  void appendAddsAndIgnoreKeepsExistingData(SparkSession spark) throws Exception {
    String append = "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("Out") + "\", \"format\": \"parquet\", \"mode\": \"append\", \"partitionBy\": [\"k\"]}";
    Path p = pipeline(append, sql("Src", "SELECT id, id % 2 AS k FROM Src", "Out"));
    PipelineTester.of(spark, p).writeSinks(true).run();
    RunResult second = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(second.sinks().get(0).rows()).isEqualTo(20);
    assertThat(spark.read().parquet(dir.resolve("Out").toString()).count()).isEqualTo(40);

    Path ignore = pipeline(append.replace("append", "ignore"), sql("Src", "SELECT id, 7 AS k FROM Src", "Out"));
    RunResult ignored = PipelineTester.of(spark, ignore).writeSinks(true).run();
    assertThat(ignored.sinks().get(0).written()).isFalse();
    assertThat(spark.read().parquet(dir.resolve("Out").toString()).filter("k = 7").count()).isZero();
    assertThat(hiddenSiblings()).isEmpty();
  }

  private List<String> hiddenSiblings() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".") && n.contains("ddp-")).collect(Collectors.toList());
    }
  }
}
