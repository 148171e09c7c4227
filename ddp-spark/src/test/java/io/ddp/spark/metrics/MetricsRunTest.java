package io.ddp.spark.metrics;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.servers.CloudWatchServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.metrics.MetricDatum;
import io.ddp.spark.cli.DdpCommandTest;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.fixtures.StatePipes;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Declared, built-in and code metrics in real runs, their publishing and the run report (issue #6). */
@ExtendWith(SparkSessionExtension.class)
class MetricsRunTest {
  @TempDir
  Path dir;

  Path file;

  @BeforeEach
  void pipeline(SparkSession spark) throws Exception {
    spark.sql("SELECT id, CASE WHEN id <= 6 THEN 'en' WHEN id <= 9 THEN 'de' ELSE 'fr' END AS lang, id * 1.5 AS score"
        + " FROM range(1, 11)").repartition(3).write().parquet(dir.resolve("docs").toString());
    file = dir.resolve("m.json");
    Files.writeString(file, "{\"name\": \"metrics\", \"data\": [\n"
        + "{\"dataId\": \"Docs\", \"location\": \"" + dir.resolve("docs") + "\", \"format\": \"parquet\"},\n"
        + "{\"dataId\": \"Counted\"},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"Docs\"], \"transformerType\": \"CountOdd\", \"outputDataId\": \"Counted\"},\n"
        + "{\"inputDataId\": [\"Counted\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\", \"params\": {\"query\": \"SELECT * FROM Counted WHERE score > 2\"}}],\n"
        + "\"metrics\": [\n"
        + "{\"metricId\": \"docs\", \"dataId\": \"Counted\", \"expression\": \"count(1)\", \"unit\": \"Count\"},\n"
        + "{\"metricId\": \"meanScore\", \"dataId\": \"Counted\", \"expression\": \"avg(score)\", \"dimensions\": {\"team\": \"search\"}},\n"
        + "{\"metricId\": \"docsPerLanguage\", \"dataId\": \"Counted\", \"expression\": \"count(1)\", \"groupBy\": [\"lang\"], \"unit\": \"Count\"},\n"
        + "{\"metricId\": \"written\", \"dataId\": \"Out\", \"expression\": \"sum(id)\"},\n"
        + "{\"metricId\": \"languages\", \"dataId\": \"Counted\", \"expression\": \"count(DISTINCT lang)\"},\n"
        + "{\"metricId\": \"writtenGerman\", \"dataId\": \"Out\", \"expression\": \"sum(id) FILTER (WHERE lang = 'de')\"},\n"
        + "{\"metricId\": \"writtenPerLanguage\", \"dataId\": \"Out\", \"expression\": \"count(1)\", \"groupBy\": [\"lang\"]}]}");
  }

  private static Map<String, Double> byDimension(List<MetricDatum> data, String dimension) {
    return data.stream().collect(Collectors.toMap(d -> d.dimensions().get(dimension), MetricDatum::value));
  }

  @Test
  void declaredBuiltInAndCodeMetricsHaveExactValues(SparkSession spark) {
    StatePipes.evaluations = spark.sparkContext().longAccumulator("metrics");
    RunResult result = PipelineTester.of(spark, file).writeSinks(true).run();

    assertThat(result.metric("docs")).singleElement().satisfies(d -> {
      assertThat(d.value()).isEqualTo(10);
      assertThat(d.unit()).isEqualTo("Count");
      assertThat(d.dimensions()).containsEntry("pipeline", "metrics").containsEntry("dataset", "Counted")
          .containsEntry("pipe", "#1 CountOdd -> Counted").containsEntry("metric", "docs");
    });
    assertThat(result.metric("meanScore")).singleElement().satisfies(d -> {
      assertThat(d.value()).isEqualTo(8.25);
      assertThat(d.dimensions()).containsEntry("team", "search");
    });
    assertThat(byDimension(result.metric("docsPerLanguage"), "lang")).containsExactlyInAnyOrderEntriesOf(Map.of("en", 6.0, "de", 3.0, "fr", 1.0));
    assertThat(result.metric("written")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(54));
    // Spark does not observe DISTINCT or FILTER aggregates on an action: they are aggregated on their own.
    assertThat(result.metric("languages")).singleElement().satisfies(d -> {
      assertThat(d.value()).isEqualTo(3);
      assertThat(d.dimensions()).containsEntry("dataset", "Counted").doesNotContainKey("lang");
    });
    assertThat(result.metric("writtenGerman")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(24));
    // Out is written as parquet with mode overwrite: its grouped metric aggregates the written files.
    assertThat(byDimension(result.metric("writtenPerLanguage"), "lang")).containsExactlyInAnyOrderEntriesOf(Map.of("en", 5.0, "de", 3.0, "fr", 1.0));
    assertThat(result.metric("oddIds")).as("counted in tasks on every partition").singleElement()
        .satisfies(d -> assertThat(d.value()).isEqualTo(5));
    assertThat(result.metric("modelVersion")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(3));

    assertThat(byDimension(result.metric("pipe.outputRows"), "pipe"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("#1 CountOdd -> Counted", 10.0, "#2 sql -> Out", 9.0));
    assertThat(result.metric("pipe.succeeded")).extracting(MetricDatum::value).containsExactly(1.0, 1.0);
    assertThat(result.metric("pipe.durationSeconds")).hasSize(2).allSatisfy(d -> assertThat(d.value()).isPositive());
    assertThat(result.metric("pipe.rowsPerSecond")).hasSize(2);
    assertThat(result.pipes()).extracting(RunResult.PipeOutcome::rows).containsExactly(10L, 9L);
  }

  @Test
  void ddpRunPublishesToItsSinksAndWritesTheReport() throws Exception {
    Path jsonl = dir.resolve("metrics.jsonl");
    Path report = dir.resolve("report.json");
    try (CloudWatchServer cloudwatch = new CloudWatchServer()) {
      DdpCommandTest.Outcome o = ddp("run", file.toString(), "--state-dir", dir.resolve("state").toString(), "--report", report.toString(),
          "--metrics-sink", "jsonl:path=" + jsonl,
          "--metrics-sink", "cloudwatch:namespace=DDP/Test,region=us-east-1,accessKey=AKID,secretKey=s,endpoint=" + cloudwatch.endpoint());
      assertThat(o.code()).as(o.err()).isZero();
      assertThat(o.out()).contains("report: " + report);
      List<String> lines = Files.readAllLines(jsonl);
      assertThat(lines).anyMatch(l -> l.contains("\"name\":\"docs\",\"value\":10.0"))
          .anyMatch(l -> l.contains("\"name\":\"docsPerLanguage\",\"value\":6.0") && l.contains("\"lang\":\"en\""));
      assertThat(cloudwatch.requests).isNotEmpty();
      assertThat(cloudwatch.requests.stream().flatMap(r -> r.entrySet().stream())
          .filter(e -> e.getKey().endsWith(".MetricName")).map(Map.Entry::getValue))
          .contains("docs", "meanScore", "docsPerLanguage", "written", "oddIds", "pipe.durationSeconds", "pipe.outputRows");
    }
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("pipes")).hasSize(2);
    assertThat(json.get("pipes").get(1).get("rows").asLong()).isEqualTo(9);
    assertThat(json.get("sinks").get(0).get("rows").asLong()).isEqualTo(9);
    assertThat(json.get("metrics").findValuesAsText("name")).contains("docs", "docsPerLanguage", "oddIds");
  }

  @Test
  void aStalledMetricsEndpointDoesNotStopTheRun() throws Exception {
    try (CloudWatchServer cloudwatch = new CloudWatchServer()) {
      cloudwatch.mode = CloudWatchServer.Mode.STALL;
      long t0 = System.nanoTime();
      DdpCommandTest.Outcome o = ddp("run", file.toString(), "--state-dir", dir.resolve("state").toString(),
          "--report", dir.resolve("r.json").toString(),
          "--metrics-sink", "cloudwatch:namespace=DDP/Test,region=us-east-1,accessKey=AKID,secretKey=s,timeoutSeconds=1,endpoint="
              + cloudwatch.endpoint());
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(o.code()).as(o.err()).isZero();
      assertThat(o.out()).contains("metrics succeeded");
      assertThat(seconds).as("the run waits for the stalled sink at most the final-flush timeout").isLessThan(45);
    }
  }

  @Test
  void anUnknownSinkTypeIsAValidationError() throws Exception {
    Files.writeString(file, Files.readString(file).replace("{\"name\": \"metrics\",",
        "{\"name\": \"metrics\", \"metricsConfig\": {\"intervalSeconds\": 5, \"sinks\": [{\"type\": \"cloudwach\"}]},"));
    DdpCommandTest.Outcome o = ddp("validate", file.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("metricsConfig: unknown metrics sink type 'cloudwach' (did you mean 'cloudwatch'?)");
  }

  @Test
  void progressIsAttributedToTheRunningPipe(SparkSession spark) throws Exception {
    Path p = dir.resolve("slow.json");
    Files.writeString(p, "{\"name\": \"slow\", \"data\": [{\"dataId\": \"Docs\", \"location\": \"" + dir.resolve("docs") + "\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("slow-out") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Docs\"], \"transformerType\": \"SlowRows\", \"outputDataId\": \"Out\", \"params\": {\"ms\": 150}}]}");
    List<MetricDatum> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (io.ddp.spark.exec.ProgressMonitor progress = new io.ddp.spark.exec.ProgressMonitor(spark.sparkContext(), "slow",
        java.time.Duration.ofMillis(200), published::addAll)) {
      PipelineTester.of(spark, p).writeSinks(true).listener(progress).run();
      io.ddp.testing.SharedSpark.awaitListenerEvents(spark);
      io.ddp.spark.exec.ProgressMonitor.Progress done = progress.progress().get(1);
      assertThat(done.tasksTotal()).isPositive();
      assertThat(done.tasksDone()).isEqualTo(done.tasksTotal());
      assertThat(done.records()).as("10 rows read and 10 written").isEqualTo(20);
    }
    assertThat(published).as("progress published while the pipe ran").anySatisfy(d -> {
      assertThat(d.name()).isEqualTo("pipe.tasksTotal");
      assertThat(d.dimensions()).containsEntry("pipe", "#1 SlowRows -> Out");
    });
  }

  @Test
  void anObservationThatNeverArrivesIsSaidOnceAndNothingWrongIsPublished(SparkSession spark) throws Exception {
    Path p = dir.resolve("rdd.json");
    Files.writeString(p, "{\"name\": \"rdd\", \"data\": ["
        + "{\"dataId\": \"Docs\", \"location\": \"" + dir.resolve("docs") + "\", \"format\": \"parquet\"},"
        + "{\"dataId\": \"Out\", \"location\": \"client://out\", \"format\": \"noaction\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Docs\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM Docs\"}}],"
        + " \"metrics\": [{\"metricId\": \"outRows\", \"dataId\": \"Out\", \"expression\": \"count(1)\"}]}");
    io.ddp.spark.exec.RunResult result;
    try (io.ddp.spark.fixtures.LogCapture logs = io.ddp.spark.fixtures.LogCapture.start("unobserved")) {
      result = PipelineTester.of(spark, p).writeSinks(true).run();
      assertThat(logs.text()).containsOnlyOnce("dataset 'Out': Spark's observation of its row count and metrics [outRows] did not"
          + " arrive within 5 s of its action; these metrics are not published and its row count is shown as unknown");
    }
    assertThat(result.metrics()).noneMatch(m -> m.name().equals("outRows"));
    assertThat(result.sinks().get(0).rows()).as("unknown, not a wrong count").isEqualTo(-1);
    assertThat(result.summary()).contains("Out: ? rows");
  }
}
