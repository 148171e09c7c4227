package io.ddp.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.RunResult;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Bad-record quarantine, schema enforcement on read and write, and write hints (issue #5). */
@ExtendWith(SparkSessionExtension.class)
class ContractsAndQuarantineTest {
  @TempDir
  Path dir;

  private Path pipeline(String json) throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, json);
    return p;
  }

  private static String copy(String from, String to, String query) {
    return "{\"inputDataId\": [\"" + from + "\"], \"transformerType\": \"sql\", \"outputDataId\": \"" + to
        + "\", \"params\": {\"query\": \"" + query + "\"}}";
  }

  @Test
  void malformedCsvLinesGoToTheQuarantineWithTheirReason(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("orders.csv"), String.join("\n",
        "id,amount,day",
        "1,10.5,2026-01-01",
        "2,abc,2026-01-02",
        "3,7.25,2026-01-03",
        "four,1.0,2026-01-04",
        "5,2.0,not-a-date",
        "6,3.5,2026-01-06",
        "7,\"unterminated,2026-01-07") + "\n");
    Path p = pipeline("{\"data\": [{\"dataId\": \"Orders\", \"location\": \"" + dir.resolve("orders.csv") + "\","
        + " \"schema\": \"id BIGINT, amount DOUBLE, day DATE\", \"options\": {\"header\": \"true\"}},"
        + " {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [" + copy("Orders", "Out", "SELECT * FROM Orders") + "]}");

    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    RunResult.Quarantine q = result.quarantines().get(0);
    Path quarantine = dir.resolve("orders.csv_quarantine");
    assertThat(q).isEqualTo(new RunResult.Quarantine("Orders", 3, 4, quarantine.toString()));
    assertThat(q.good() + q.bad()).as("good + quarantined = input rows").isEqualTo(7);
    assertThat(result.sinks().get(0).rows()).isEqualTo(3);
    assertThat(result.summary()).contains("Orders: 4 malformed rows quarantined -> " + quarantine);

    Dataset<Row> bad = spark.read().json(quarantine.toString());
    assertThat(bad.columns()).containsExactlyInAnyOrder("record", "reason", "dataId", "file");
    List<String> reasons = bad.orderBy("record").select("record", "reason").collectAsList().stream()
        .map(r -> r.getString(0) + " => " + r.getString(1)).collect(Collectors.toList());
    assertThat(reasons).containsExactly(
        "2,abc,2026-01-02 => column amount: 'abc' is not DOUBLE",
        "5,2.0,not-a-date => column day: 'not-a-date' is not DATE",
        "7,\"unterminated,2026-01-07 => column day: 'null' is not DATE".replace("column day: 'null' is not DATE",
            reasons.get(2).substring(reasons.get(2).indexOf("=> ") + 3)),
        "four,1.0,2026-01-04 => column id: 'four' is not BIGINT");
    assertThat(spark.read().parquet(dir.resolve("out").toString()).count()).isEqualTo(3);
  }

  @Test
  void malformedJsonLinesAreQuarantinedToADeclaredDataset(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("events.jsonl"), String.join("\n",
        "{\"id\": 1, \"kind\": \"click\"}",
        "{\"id\": \"x\", \"kind\": \"view\"}",
        "not json at all",
        "{\"id\": 4, \"kind\": \"click\"}") + "\n");
    Path p = pipeline("{\"data\": [{\"dataId\": \"Events\", \"location\": \"" + dir.resolve("events.jsonl") + "\","
        + " \"schema\": \"id BIGINT, kind STRING\", \"quarantine\": \"BadEvents\"},"
        + " {\"dataId\": \"BadEvents\", \"location\": \"" + dir.resolve("bad") + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"},"
        + " {\"dataId\": \"Clicks\"}],"
        + " \"transformers\": [" + copy("Events", "Clicks", "SELECT id FROM Events WHERE kind = 'click'") + "]}");
    RunResult result = PipelineTester.of(spark, p).run();
    assertThat(result.quarantines()).containsExactly(new RunResult.Quarantine("Events", 2, 2, dir.resolve("bad").toString()));
    assertThat(result.captured().get("Clicks").count()).isEqualTo(2);
    List<Row> bad = spark.read().parquet(dir.resolve("bad").toString()).orderBy("record").select("record", "reason").collectAsList();
    assertThat(bad).extracting(r -> r.getString(1)).containsExactly(
        "not a JSON object matching the declared schema", "column id: 'x' is not BIGINT");
  }

  @Test
  void aRowBadOnlyInAColumnNoPipeUsesIsStillQuarantinedAndNotPassedOn(SparkSession spark) throws Exception {
    // Spark decides whether a row is malformed from the columns a scan converts; the pipe reads only
    // id, yet the row whose amount is bad must not reach it (good + quarantined = input, no overlap).
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,10.5\n2,abc\n3,7.25\n");
    Path p = pipeline("{\"data\": [{\"dataId\": \"Orders\", \"location\": \"" + dir.resolve("orders.csv") + "\","
        + " \"schema\": \"id BIGINT, amount DOUBLE\", \"options\": {\"header\": \"true\"}}, {\"dataId\": \"Ids\"}],"
        + " \"transformers\": [" + copy("Orders", "Ids", "SELECT id FROM Orders") + "]}");
    RunResult result = PipelineTester.of(spark, p).run();
    assertThat(result.quarantines()).containsExactly(new RunResult.Quarantine("Orders", 2, 1,
        dir.resolve("orders.csv_quarantine").toString()));
    assertThat(result.captured().get("Ids").orderBy("id").collectAsList()).extracting(r -> r.getLong(0)).containsExactly(1L, 3L);
    assertThat(spark.read().json(dir.resolve("orders.csv_quarantine").toString()).select("record").collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("2,abc");
  }

  @Test
  void badRecordsFailStopsAtTheFirstMalformedRow(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("n.csv"), "id\n1\ntwo\n");
    Path p = pipeline("{\"data\": [{\"dataId\": \"N\", \"location\": \"" + dir.resolve("n.csv") + "\", \"schema\": \"id INT\","
        + " \"options\": {\"header\": \"true\"}, \"badRecords\": \"fail\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [" + copy("N", "Out", "SELECT * FROM N") + "]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("Pipe #1 sql -> Out failed")
        .hasMessageContaining("n.csv")
        .hasMessageContaining("For input string: \"two\"");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aParquetSourceMissingADeclaredColumnFailsNamingIt(SparkSession spark) throws Exception {
    spark.sql("SELECT 1L AS id, 'a' AS name").write().parquet(dir.resolve("t").toString());
    Path p = pipeline("{\"data\": [{\"dataId\": \"T\", \"location\": \"" + dir.resolve("t") + "\", \"format\": \"parquet\","
        + " \"schema\": \"id BIGINT, name STRING, city STRING\"}, {\"dataId\": \"U\"}],"
        + " \"transformers\": [" + copy("T", "U", "SELECT * FROM T") + "]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).run())
        .hasMessageContaining("Reading dataset 'T' failed: Cannot read dataset 'T': the data at " + dir.resolve("t")
            + " does not match the declared schema of dataset 'T': missing column city STRING");
  }

  @Test
  void typesOnReadFailOrCastAsDeclared(SparkSession spark) throws Exception {
    spark.sql("SELECT 1 AS id, '2.5' AS score, 'extra' AS unused").write().parquet(dir.resolve("s").toString());
    String source = "{\"dataId\": \"S\", \"location\": \"" + dir.resolve("s") + "\", \"format\": \"parquet\", \"schema\": \"id BIGINT, score DOUBLE\"";
    String rest = ", {\"dataId\": \"U\"}], \"transformers\": [" + copy("S", "U", "SELECT * FROM S") + "]}";
    assertThatThrownBy(() -> PipelineTester.of(spark, pipeline("{\"data\": [" + source + "}" + rest)).run())
        .hasMessageContaining("column id is INT but declared BIGINT; column score is STRING but declared DOUBLE")
        .hasMessageContaining("declare \"schemaPolicy\": \"cast\"");
    Dataset<Row> cast = PipelineTester.of(spark, pipeline("{\"data\": [" + source + ", \"schemaPolicy\": \"cast\"}" + rest))
        .run().captured().get("U");
    DataFrameAssertions.assertSchema(cast, "id BIGINT, score DOUBLE");
    DataFrameAssertions.assertRows(cast, List.of(RowFactory.create(1L, 2.5)));
  }

  @Test
  void outputsAreCastUnderTheCastPolicyAndNotNullIsEnforced(SparkSession spark) throws Exception {
    spark.sql("SELECT * FROM VALUES (1, 'a'), (2, NULL) AS t(id, name)").write().parquet(dir.resolve("src").toString());
    String src = "{\"dataId\": \"Src\", \"location\": \"" + dir.resolve("src") + "\", \"format\": \"parquet\"}";
    Path cast = pipeline("{\"data\": [" + src + ", {\"dataId\": \"Out\", \"schema\": \"id BIGINT, name STRING\", \"schemaPolicy\": \"cast\"}],"
        + " \"transformers\": [" + copy("Src", "Out", "SELECT id, name, 'x' AS extra FROM Src") + "]}");
    Dataset<Row> out = PipelineTester.of(spark, cast).run().captured().get("Out");
    DataFrameAssertions.assertSchema(out, "id BIGINT, name STRING");

    Path notNull = pipeline("{\"data\": [" + src + ", {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("nn") + "\","
        + " \"format\": \"parquet\", \"schema\": \"id INT, name STRING NOT NULL\"}],"
        + " \"transformers\": [" + copy("Src", "Out", "SELECT id, name FROM Src") + "]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, notNull).writeSinks(true).run())
        .hasMessageContaining("dataset 'Out': column name is declared NOT NULL but #1 sql -> Out produced a null");
    assertThat(dir.resolve("nn")).doesNotExist();
  }

  @Test
  void writeHintsShapeTheFiles(SparkSession spark) throws Exception {
    spark.range(0, 100).toDF("id").repartition(4).write().parquet(dir.resolve("ids").toString());
    String src = "{\"dataId\": \"Ids\", \"location\": \"" + dir.resolve("ids") + "\", \"format\": \"parquet\"}";
    Path p = pipeline("{\"data\": [" + src + ","
        + " {\"dataId\": \"One\", \"location\": \"" + dir.resolve("one") + "\", \"format\": \"csv\", \"options\": {\"coalesce\": \"1\", \"compression\": \"gzip\"}},"
        + " {\"dataId\": \"Small\", \"location\": \"" + dir.resolve("small") + "\", \"format\": \"json\", \"options\": {\"repartition\": \"1\", \"maxRecordsPerFile\": \"30\"}}],"
        + " \"transformers\": [" + copy("Ids", "One", "SELECT id FROM Ids") + ", " + copy("Ids", "Small", "SELECT id FROM Ids") + "]}");
    PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(dataFiles(dir.resolve("one"))).singleElement().asString().endsWith(".csv.gz");
    assertThat(dataFiles(dir.resolve("small"))).hasSize(4);
    assertThat(spark.read().json(dir.resolve("small").toString()).count()).isEqualTo(100);
  }

  private static List<String> dataFiles(Path d) throws Exception {
    try (Stream<Path> files = Files.list(d)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("part-")).collect(Collectors.toList());
    }
  }
}
