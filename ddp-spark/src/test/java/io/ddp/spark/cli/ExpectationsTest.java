package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.io.MemoryFormat;
import io.ddp.metrics.MetricDatum;
import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.exec.RunResult.ExpectationOutcome;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SharedSpark;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data expectations: each action (warn, drop, quarantine, fail) with exact counts, counted in the pass
 * that computes the dataset; fail leaves the previous content of a sink intact; every mistake in a
 * declaration reported together before any job.
 */
@ExtendWith(SparkSessionExtension.class)
class ExpectationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /**
   * Ten people: 2 and 6 have no name; 3 no score; 4 (fi), 6 (xx) and 9 (EN) a language that is not
   * accepted; 7 no language (nulls are accepted); id 5 twice.
   */
  private String people() throws Exception {
    Files.writeString(dir.resolve("people.csv"), "id,name,lang,score\n1,ada,en,1.0\n2,,en,2.0\n3,grace,de,\n4,linus,fi,4.0\n"
        + "5,alan,en,5.0\n5,alan2,de,5.5\n6,,xx,6.0\n7,edsger,,7.0\n8,barbara,en,8.0\n9,ken,EN,9.0\n");
    return "{\"dataId\": \"People\", \"location\": \"" + dir.resolve("people.csv") + "\","
        + " \"schema\": \"id BIGINT, name STRING, lang STRING, score DOUBLE\", \"options\": {\"header\": \"true\"}}";
  }

  private static final String ALL_ACTIONS = "[{\"name\": \"hasName\", \"expect\": \"length(name) > 0\", \"onViolation\": \"drop\"},"
      + " {\"notNull\": [\"score\"]},"
      + " {\"column\": \"lang\", \"acceptedValues\": [\"en\", \"de\"], \"onViolation\": \"quarantine\"},"
      + " {\"unique\": [\"id\"], \"onViolation\": \"warn\"},"
      + " {\"rowCount\": {\"min\": 1, \"max\": 100}, \"onViolation\": \"fail\"}]";

  private Path pipeline(String name, String sinkExtra, String expectations) throws Exception {
    Path p = dir.resolve(name + ".json");
    Files.writeString(p, "{\"name\": \"" + name + "\", \"data\": [" + people() + ",\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve(name + "-out") + "\", \"format\": \"parquet\"" + sinkExtra
        + ", \"expectations\": " + expectations + "}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}\n");
    return p;
  }

  private static ExpectationOutcome outcome(RunResult result, String dataId, String name) {
    return result.expectation(dataId, name).orElseThrow(() -> new AssertionError("no outcome for " + dataId + "." + name
        + " in " + result.expectations()));
  }

  @Test
  void eachActionCountsExactlyInOnePassAndDropsOrQuarantinesItsRows(SparkSession spark) throws Exception {
    Path p = pipeline("actions", "", ALL_ACTIONS);
    RunResult[] ran = new RunResult[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> ran[0] = PipelineTester.of(spark, p).writeSinks(true).run());
    RunResult result = ran[0];

    assertThat(result.expectations()).extracting(ExpectationOutcome::name, ExpectationOutcome::action, ExpectationOutcome::rows,
        ExpectationOutcome::violations).containsExactly(
            org.assertj.core.groups.Tuple.tuple("hasName", "drop", 10L, 2L),
            org.assertj.core.groups.Tuple.tuple("notNull_score", "warn", 10L, 1L),
            org.assertj.core.groups.Tuple.tuple("acceptedValues_lang", "quarantine", 10L, 3L),
            org.assertj.core.groups.Tuple.tuple("unique_id", "warn", 10L, 2L),
            org.assertj.core.groups.Tuple.tuple("rowCount", "fail", 6L, 0L));
    assertThat(outcome(result, "Out", "acceptedValues_lang").check()).isEqualTo("lang in [en, de]");
    assertThat(outcome(result, "Out", "rowCount").check()).isEqualTo("rowCount in [1, 100]");
    assertThat(result.sinks()).singleElement().satisfies(s -> assertThat(s.rows()).isEqualTo(6));

    Dataset<Row> written = spark.read().parquet(dir.resolve("actions-out").toString());
    assertThat(written.orderBy("id", "name").collectAsList()).hasToString(
        "[[1,ada,en,1.0], [3,grace,de,null], [5,alan,en,5.0], [5,alan2,de,5.5], [7,edsger,null,7.0], [8,barbara,en,8.0]]");
    Dataset<Row> quarantined = spark.read().json(dir.resolve("actions-out_quarantine").toString());
    assertThat(quarantined.orderBy("record").select("record", "reason", "dataId").collectAsList()).hasToString(
        "[[{\"id\":4,\"name\":\"linus\",\"lang\":\"fi\",\"score\":4.0},expectations violated: acceptedValues_lang,Out],"
            + " [{\"id\":6,\"lang\":\"xx\",\"score\":6.0},expectations violated: hasName, acceptedValues_lang,Out],"
            + " [{\"id\":9,\"name\":\"ken\",\"lang\":\"EN\",\"score\":9.0},expectations violated: acceptedValues_lang,Out]]");

    List<MetricDatum> violations = result.metric("expectation.violations");
    assertThat(violations).hasSize(5);
    assertThat(violations).filteredOn(d -> d.dimensions().get("expectation").equals("hasName")).singleElement().satisfies(d -> {
      assertThat(d.value()).isEqualTo(2.0);
      assertThat(d.dimensions()).containsEntry("dataset", "Out").containsEntry("onViolation", "drop").containsEntry("pipeline", "actions");
    });
    assertThat(result.expectationTable(false)).isEqualTo(
        "  dataset  expectation          onViolation  violations  rows  check\n"
            + "  Out      hasName              drop                  2    10  length(name) > 0\n"
            + "  Out      notNull_score        warn                  1    10  notNull(score)\n"
            + "  Out      acceptedValues_lang  quarantine            3    10  lang in [en, de]\n"
            + "  Out      unique_id            warn                  2    10  unique(id)\n");
    // Reading the csv twice (count of malformed rows, then the data) happens without expectations too;
    // the expectations add one job: the write of the quarantined rows (the sink's write reuses the kept rows).
    assertThat(jobs).isLessThanOrEqualTo(6);
  }

  @Test
  void ddpRunPrintsTheViolationsAndTheReportHoldsThem() throws Exception {
    Path p = pipeline("cli", "", ALL_ACTIONS);
    Path report = dir.resolve("report.json");
    DdpCommandTest.Outcome run = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString(), "--report", report.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("expectations with violations:\n"
        + "  dataset  expectation          onViolation  violations  rows  check\n"
        + "  Out      hasName              drop                  2    10  length(name) > 0\n");
    JsonNode expectations = JSON.readTree(report.toFile()).get("expectations");
    assertThat(expectations).hasSize(5);
    assertThat(expectations.get(2).toString()).isEqualTo("{\"dataId\":\"Out\",\"name\":\"acceptedValues_lang\",\"check\":"
        + "\"lang in [en, de]\",\"onViolation\":\"quarantine\",\"rows\":10,\"violations\":3}");
  }

  @Test
  void failLeavesThePreviousContentOfTheSinkIntact(SparkSession spark) throws Exception {
    Path out = dir.resolve("fail-out");
    spark.range(3).toDF("id").write().parquet(out.toString());
    List<String> before = files(out);
    Path p = pipeline("fail", ", \"mode\": \"overwrite\"", "[{\"notNull\": [\"score\"], \"onViolation\": \"fail\"},"
        + " {\"name\": \"positive\", \"expect\": \"score > 4\", \"onViolation\": \"fail\"}, {\"notNull\": [\"name\"]}]");

    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("dataset 'Out' does not meet expectations 'notNull_score' (notNull(score)): 1 of 10 rows violate it;"
            + " 'positive' (score > 4): 4 of 10 rows violate it (onViolation fail); nothing was written to " + out
            + ", its previous content is unchanged")
        .satisfies(e -> {
          RunResult partial = ((PipeFailedException) e).result();
          assertThat(partial.sinks()).isEmpty();
          assertThat(outcome(partial, "Out", "notNull_name").violations()).isEqualTo(2);
        });
    assertThat(files(out)).isEqualTo(before);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(3);
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(s -> s.getFileName().toString())).noneMatch(n -> n.contains("ddp-staging") || n.contains("ddp-commit"));
    }
  }

  @Test
  void failOnAnIntermediateStopsTheRunBeforeItsReaderWrites(SparkSession spark) throws Exception {
    Path p = dir.resolve("mid.json");
    Files.writeString(p, "{\"data\": [" + people() + ", {\"dataId\": \"Mid\", \"expectations\": [{\"primaryKey\": [\"id\"],"
        + " \"onViolation\": \"fail\"}]},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("mid-out") + "\", \"format\": \"parquet\"}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Mid\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}},"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id FROM Mid\"}}]}\n");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("dataset 'Mid' does not meet expectation 'primaryKey_id' (primaryKey(id)): 2 of 10 rows violate it");
    assertThat(dir.resolve("mid-out")).doesNotExist();
  }

  @Test
  void failOnASinkThatCommitsAsItWritesIsCheckedBeforeTheWrite(SparkSession spark) throws Exception {
    MemoryFormat.put("expect-previous", spark.range(2).toDF("id"));
    Path p = dir.resolve("mem.json");
    Files.writeString(p, "{\"data\": [" + people() + ",\n"
        + "{\"dataId\": \"Out\", \"format\": \"memory\", \"location\": \"expect-previous\", \"mode\": \"overwrite\","
        + " \"expectations\": [{\"rowCount\": {\"max\": 5}, \"onViolation\": \"fail\"}]}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}\n");
    try {
      assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
          .hasMessageContaining("dataset 'Out' does not meet expectation 'rowCount' (rowCount in [0, 5]): 10 rows (onViolation fail)");
      assertThat(MemoryFormat.get("expect-previous").count()).isEqualTo(2);
    } finally {
      MemoryFormat.remove("expect-previous");
    }
  }

  @Test
  void expectationsOnASourceAndOnAnIntermediateCountedWhileItsReaderRuns(SparkSession spark) throws Exception {
    Path p = dir.resolve("inplace.json");
    Files.writeString(p, "{\"data\": [" + people().replace("}}", "}, \"expectations\": [{\"notNull\": [\"name\"],"
        + " \"onViolation\": \"drop\"}]}") + ",\n"
        + "{\"dataId\": \"Mid\", \"persist\": \"none\", \"expectations\": [{\"name\": \"known\", \"expect\": \"lang IN ('en', 'de')\","
        + " \"onViolation\": \"drop\"}, {\"rowCount\": {\"min\": 100}}]},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("inplace-out") + "\", \"format\": \"parquet\"}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Mid\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}},"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id, lang FROM Mid\"}}]}\n");
    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(outcome(result, "People", "notNull_name").violations()).isEqualTo(2);
    assertThat(outcome(result, "People", "notNull_name").rows()).isEqualTo(10);
    // Mid sees the 8 named people: 1, 3, 5, 5, 8 are en/de; 4 (fi), 7 (null: a violation), 9 (EN) are dropped.
    assertThat(outcome(result, "Mid", "known").rows()).isEqualTo(8);
    assertThat(outcome(result, "Mid", "known").violations()).isEqualTo(3);
    assertThat(outcome(result, "Mid", "rowCount").violations()).isEqualTo(1);
    assertThat(outcome(result, "Mid", "rowCount").rows()).isEqualTo(5);
    assertThat(spark.read().parquet(dir.resolve("inplace-out").toString()).orderBy("id").collectAsList()).hasToString(
        "[[1,en], [3,de], [5,en], [5,de], [8,en]]");
  }

  @Test
  void everyMistakeIsReportedTogetherBeforeAnyJob(SparkSession spark) throws Exception {
    // Against the schema flowing into the dataset (once the declaration itself is sound).
    Path p = pipeline("bad", "", "[{\"notNull\": [\"scor\"]},"
        + " {\"name\": \"sum\", \"expect\": \"score + 1\"},"
        + " {\"name\": \"agg\", \"expect\": \"count(1) > 0\"},"
        + " {\"name\": \"typo\", \"expect\": \"lenght(name) > 0\"},"
        + " {\"column\": \"id\", \"acceptedValues\": [1, \"two\"]}]");
    DdpCommandTest.Outcome[] validated = new DdpCommandTest.Outcome[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> validated[0] = ddp("validate", p.toString()));
    DdpCommandTest.Outcome o = validated[0];
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("expectation 'notNull_scor' names column 'scor', which 'Out' does not have (did you mean 'score'?)")
        .contains("expectation 'sum': \"score + 1\" is DOUBLE, not a condition")
        .contains("expectation 'agg': \"count(1) > 0\" is not a condition over 'Out'")
        .contains("expectation 'typo': \"lenght(name) > 0\" is not a condition over 'Out'")
        .contains("expectation 'acceptedValues_id' accepts two, which column 'id' (BIGINT) cannot hold")
        .contains("5 errors; nothing was run");
    assertThat(jobs).as("validation reads no data").isZero();

    // The declaration's own rules, all at once.
    Path q = pipeline("rules", "", "[{\"rowCount\": {\"min\": 5, \"max\": 2}},"
        + " {\"rowCount\": {\"min\": 1}, \"onViolation\": \"drop\"},"
        + " {\"name\": \"1st\", \"notNull\": [\"id\", \"id\"]},"
        + " {\"notNull\": [\"id\"], \"onViolation\": \"dorp\"}]");
    o = ddp("validate", q.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("expectation 'rowCount': min 5 is greater than max 2")
        .contains("expectation 'rowCount' is declared twice (expectations[0] and expectations[1])")
        .contains("expectation 'rowCount' checks the number of rows, so no row can be dropped for it; use \"warn\" or \"fail\"")
        .contains("invalid expectation name '1st'")
        .contains("expectation '1st' names column 'id' twice")
        .contains("invalid onViolation \"dorp\" (did you mean 'drop'?); use one of warn, drop, quarantine, fail")
        .contains("6 errors; nothing was run");
  }

  @Test
  void declarationsThatCannotWorkAreRefusedWithoutSpark() throws Exception {
    Path p = dir.resolve("decl.json");
    Files.writeString(p, "{\"data\": [" + people() + ", {\"dataId\": \"Mid\", \"expectations\": [{\"notNull\": \"id\","
        + " \"onViolation\": \"quarantine\"}, {\"expect\": \"id > 0\"}, {\"notNull\": [\"id\"], \"unique\": [\"id\"]}, {}]},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("decl-out") + "\", \"format\": \"parquet\"}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Mid\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}},"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id FROM Mid\"}}]}\n");
    DdpCommandTest.Outcome o = ddp("validate", "--no-spark", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains(p + ":1:")
        .contains("an \"expect\" expectation needs a \"name\"")
        .contains("the expectation states 2 conditions (notNull, unique); give exactly one of expect, notNull, unique, primaryKey,"
            + " acceptedValues, rowCount")
        .contains("the expectation states no condition");
    // The first expectation is well formed; its quarantine has nowhere to go (checked once the list reads cleanly).
    Files.writeString(p, Files.readString(p).replace(", {\"expect\": \"id > 0\"}, {\"notNull\": [\"id\"], \"unique\": [\"id\"]}, {}", ""));
    o = ddp("validate", "--no-spark", p.toString());
    assertThat(o.err()).contains("expectation 'notNull_id' quarantines rows, but 'Mid' has no location to put them beside;"
        + " declare \"quarantine\"");
  }

  private Path twoSinks(String name, String outExtra, String expectations) throws Exception {
    Path p = dir.resolve(name + ".json");
    Files.writeString(p, "{\"name\": \"" + name + "\", \"data\": [" + people() + ",\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve(name + "-out") + "\", \"format\": \"parquet\"" + outExtra
        + ", \"expectations\": " + expectations + "},\n"
        + "{\"dataId\": \"Final\", \"location\": \"" + dir.resolve(name + "-final") + "\", \"format\": \"parquet\","
        + " \"mode\": \"overwrite\"}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}},"
        + " {\"inputDataId\": [\"Out\"], \"transformerType\": \"sql\", \"outputDataId\": \"Final\","
        + " \"params\": {\"query\": \"SELECT id FROM Out\"}}]}\n");
    return p;
  }

  @Test
  void aSinkReadBackByAPartialRunIsNotCheckedAgainNorItsQuarantineReplaced(SparkSession spark) throws Exception {
    Path p = twoSinks("partial", ", \"mode\": \"overwrite\"",
        "[{\"column\": \"lang\", \"acceptedValues\": [\"en\", \"de\"], \"onViolation\": \"quarantine\"}]");
    PipelineTester.of(spark, p).writeSinks(true).run();
    Path quarantine = dir.resolve("partial-out_quarantine");
    assertThat(spark.read().json(quarantine.toString()).count()).isEqualTo(3);

    RunResult second = PipelineTester.of(spark, p).writeSinks(true)
        .select(plan -> io.ddp.core.plan.Selection.partial(plan, java.util.Optional.empty(), java.util.Optional.empty(),
            java.util.Optional.of("Final"))).run();
    assertThat(second.expectations()).as("Out was checked when it was written").isEmpty();
    assertThat(spark.read().json(quarantine.toString()).count()).isEqualTo(3);
    assertThat(spark.read().parquet(dir.resolve("partial-final").toString()).count()).isEqualTo(7);
  }

  @Test
  void aFailingRunReplacesNeitherTheSinkNorItsQuarantine(SparkSession spark) throws Exception {
    String expectations = "[{\"column\": \"lang\", \"acceptedValues\": [\"en\", \"de\"], \"onViolation\": \"quarantine\"}]";
    Path p = pipeline("quarantinefail", ", \"mode\": \"overwrite\"", expectations);
    PipelineTester.of(spark, p).writeSinks(true).run();
    Path quarantine = dir.resolve("quarantinefail-out_quarantine");
    List<String> before = files(quarantine);
    Files.writeString(p, Files.readString(p).replace(expectations, expectations.substring(0, expectations.length() - 1)
        + ", {\"name\": \"small\", \"expect\": \"id < 9\", \"onViolation\": \"fail\"}]"));
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
        .hasMessageContaining("dataset 'Out' does not meet expectation 'small' (id < 9): 1 of 10 rows violate it (onViolation fail);"
            + " nothing was written, neither the dataset nor its quarantined rows");
    assertThat(files(quarantine)).isEqualTo(before);
    assertThat(spark.read().parquet(dir.resolve("quarantinefail-out").toString()).count()).isEqualTo(7);
  }

  @Test
  void aSinkNotWrittenBecauseOfModeIgnoreIsStillCheckedForItsReaders(SparkSession spark) throws Exception {
    Path p = twoSinks("ignored", ", \"mode\": \"ignore\"", "[{\"notNull\": [\"score\"], \"onViolation\": \"fail\"}]");
    spark.range(1).toDF("id").write().parquet(dir.resolve("ignored-out").toString());
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
        .hasMessageContaining("dataset 'Out' does not meet expectation 'notNull_score' (notNull(score)): 1 of 10 rows violate it");
    assertThat(dir.resolve("ignored-final")).doesNotExist();
  }

  @Test
  void aTestRunCapturesQuarantinedRowsInsteadOfWritingThem(SparkSession spark) throws Exception {
    Path p = pipeline("captured", "", "[{\"column\": \"lang\", \"acceptedValues\": [\"en\", \"de\"],"
        + " \"onViolation\": \"quarantine\"}]");
    RunResult result = PipelineTester.of(spark, p).run();
    assertThat(result.captured().get("Out").count()).isEqualTo(7);
    assertThat(result.captured().get("Out_quarantine").select("reason").distinct().collectAsList()).hasToString(
        "[[expectations violated: acceptedValues_lang]]");
    assertThat(result.captured().get("Out_quarantine").count()).isEqualTo(3);
    assertThat(dir.resolve("captured-out_quarantine")).doesNotExist();
    assertThat(dir.resolve("captured-out")).doesNotExist();
  }

  @Test
  void oddColumnNamesAndTypedAcceptedValues(SparkSession spark) throws Exception {
    Path p = dir.resolve("odd.json");
    Files.writeString(p, "{\"data\": [" + people() + ",\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("odd-out") + "\", \"format\": \"parquet\", \"expectations\": ["
        + "{\"notNull\": [\"`a.b`\", \"`we``ird`\"]}, {\"column\": \"nested.lang\", \"acceptedValues\": [\"en\"]},"
        + " {\"column\": \"score\", \"acceptedValues\": [1, 2.0, \"9\"], \"onViolation\": \"drop\"}]}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id AS `a.b`, name AS `we``ird`, named_struct('lang', lang) AS nested, score"
        + " FROM People\"}}]}\n");
    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(outcome(result, "Out", "notNull_a_b_we_ird").violations()).isEqualTo(2);
    assertThat(outcome(result, "Out", "acceptedValues_nested_lang").violations()).isEqualTo(5);
    // score 1.0, 2.0 and 9.0 are accepted (compared as DOUBLE); the null score passes.
    assertThat(outcome(result, "Out", "acceptedValues_score").violations()).isEqualTo(6);
    assertThat(spark.read().parquet(dir.resolve("odd-out").toString()).count()).isEqualTo(4);

    Files.writeString(p, Files.readString(p).replace("[1, 2.0, \"9\"]", "[1, \"1.5x\"]")
        .replace("\"column\": \"nested.lang\"", "\"column\": \"id\""));
    DdpCommandTest.Outcome o = ddp("validate", p.toString());
    assertThat(o.err()).contains("accepts 1.5x, which column 'score' (DOUBLE) cannot hold")
        .contains("names column 'id', which 'Out' does not have");
  }

  @Test
  void aFormatWithoutFilesNeedsADeclaredQuarantine() throws Exception {
    Path p = dir.resolve("memq.json");
    Files.writeString(p, "{\"data\": [" + people() + ",\n"
        + "{\"dataId\": \"Out\", \"format\": \"memory\", \"location\": \"memq\", \"expectations\": [{\"notNull\": [\"id\"],"
        + " \"onViolation\": \"quarantine\"}]}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}\n");
    DdpCommandTest.Outcome o = ddp("validate", "--no-spark", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("dataset 'Out': its quarantine expectations need a place for the rows they set aside, and format"
        + " 'memory' has no directory to put them beside; declare \"quarantine\"");
  }

  @Test
  void aSourcesBadRecordsAndItsQuarantinedRowsShareItsQuarantine(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("mixed.csv"), "id,name,lang,score\n1,ada,en,1.0\nnot-a-number,bob,en,2.0\n3,grace,fi,3.0\n");
    Path p = dir.resolve("mixed.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"People\", \"location\": \"" + dir.resolve("mixed.csv") + "\","
        + " \"schema\": \"id BIGINT, name STRING, lang STRING, score DOUBLE\", \"options\": {\"header\": \"true\"},"
        + " \"expectations\": [{\"column\": \"lang\", \"acceptedValues\": [\"en\"], \"onViolation\": \"quarantine\"}]},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("mixed-out") + "\", \"format\": \"parquet\"}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id, name FROM People\"}}]}\n");
    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(result.quarantines()).singleElement().satisfies(q -> assertThat(q.bad()).isEqualTo(1));
    assertThat(outcome(result, "People", "acceptedValues_lang").violations()).isEqualTo(1);
    assertThat(spark.read().json(dir.resolve("mixed.csv_quarantine").toString()).orderBy("reason").select("record", "reason")
        .collectAsList()).hasToString("[[not-a-number,bob,en,2.0,column id: 'not-a-number' is not BIGINT],"
            + " [{\"id\":3,\"name\":\"grace\",\"lang\":\"fi\",\"score\":3.0},expectations violated: acceptedValues_lang]]");
    assertThat(spark.read().parquet(dir.resolve("mixed-out").toString()).collectAsList()).hasToString("[[1,ada]]");
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(f -> root.relativize(f) + ":" + f.toFile().length()).sorted().toList();
    }
  }
}
