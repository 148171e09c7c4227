package io.ddp.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Delta Lake sinks and sources declared in pipelines: writes, time travel, merge, failures, concurrency, resume. */
@ExtendWith(SparkSessionExtension.class)
class DeltaTableTest {
  @TempDir
  Path dir;

  private Path pipeline(String name, String data, String transformers) throws Exception {
    Path p = dir.resolve(name + ".json");
    Files.writeString(p, "{\"name\": \"" + name + "\", \"data\": [" + data + "], \"transformers\": [" + transformers + "]}");
    return p;
  }

  private Path csv(String name, String content) throws Exception {
    Path p = dir.resolve(name + ".csv");
    Files.writeString(p, content);
    return p;
  }

  private static String source(String id, Path csv, String schema) {
    return "{\"dataId\": \"" + id + "\", \"location\": \"" + csv + "\", \"schema\": \"" + schema + "\", \"options\": {\"header\": true}}";
  }

  private static String sql(String in, String out, String query) {
    return "{\"inputDataId\": [\"" + in + "\"], \"transformerType\": \"sql\", \"outputDataId\": \"" + out + "\","
        + " \"params\": {\"query\": \"" + query + "\"}}";
  }

  private String table() {
    return dir.resolve("tables/orders").toString();
  }

  private long version(SparkSession spark) {
    return DeltaTable.forPath(spark, table()).history(1).first().getLong(0);
  }

  @Test
  void writesAppendsOverwritesAndReadsAVersionBack(SparkSession spark) throws Exception {
    Path day1 = csv("day1", "id,amount,country\n1,10.0,fr\n2,20.0,de\n");
    Path day2 = csv("day2", "id,amount,country\n3,30.0,fr\n");
    String sink = "{\"dataId\": \"Orders\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"append\","
        + " \"schema\": \"id BIGINT, amount DOUBLE, country STRING\", \"partitionBy\": [\"country\"]}";
    for (Path day : List.of(day1, day2)) {
      RunResult r = PipelineTester.of(spark, pipeline("load", source("In", day, "id BIGINT, amount DOUBLE, country STRING") + "," + sink,
          sql("In", "Orders", "SELECT * FROM In"))).writeSinks(true).run();
      assertThat(r.sinks()).singleElement().satisfies(s -> assertThat(s.written()).isTrue());
    }
    assertThat(version(spark)).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("tables/orders/country=fr"))).as("partitioned as declared").isTrue();
    assertThat(Files.list(dir.resolve("tables")).map(p -> p.getFileName().toString()).toList())
        .as("nothing staged beside the table").containsExactly("orders");

    // Time travel: version 0 is the first day only; the current version has both.
    String v0 = "{\"dataId\": \"Then\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"options\": {\"versionAsOf\": \"0\"},"
        + " \"schema\": \"id BIGINT, amount DOUBLE, country STRING\"}";
    Path read = pipeline("read", v0 + ", {\"dataId\": \"Out\", \"format\": \"memory\", \"location\": \"then\", \"mode\": \"overwrite\"}",
        sql("Then", "Out", "SELECT id, amount FROM Then"));
    PipelineTester.of(spark, read).writeSinks(true).run();
    DataFrameAssertions.assertRows(io.ddp.io.MemoryFormat.get("then"), List.of(RowFactory.create(1L, 10.0), RowFactory.create(2L, 20.0)));
    io.ddp.io.MemoryFormat.remove("then");
    assertThat(spark.read().format("delta").load(table()).count()).isEqualTo(3);

    // Time travel by time: the version current at version 0's commit time.
    String at = DeltaTable.forPath(spark, table()).history().where("version = 0").selectExpr("CAST(timestamp AS STRING)").first().getString(0);
    io.ddp.core.model.DataDeclare byTime = io.ddp.core.model.DataDeclare.builder("Then").location(table()).format("delta")
        .option("timestampAsOf", at).build();
    assertThat(io.ddp.io.DeclaredIO.load(getClass().getClassLoader()).read(spark, byTime).count()).isEqualTo(2);

    // Overwrite: a new version with only the new rows; the old ones are still there by version.
    String over = sink.replace("\"append\"", "\"overwrite\"");
    PipelineTester.of(spark, pipeline("over", source("In", day2, "id BIGINT, amount DOUBLE, country STRING") + "," + over,
        sql("In", "Orders", "SELECT * FROM In"))).writeSinks(true).run();
    assertThat(spark.read().format("delta").load(table()).count()).isEqualTo(1);
    assertThat(spark.read().format("delta").option("versionAsOf", "1").load(table()).count()).isEqualTo(3);
  }

  @Test
  void mergeUpdatesInsertsAndDeletesRowByRow(SparkSession spark) throws Exception {
    Path initial = csv("initial", "id,name,version,op\n1,ada,1,U\n2,grace,1,U\n3,alan,1,U\n4,edsger,5,U\n");
    Path changes = csv("changes", "id,name,version,op\n2,grace hopper,2,U\n3,alan,2,D\n4,edsger old,3,U\n6,barbara,1,U\n7,ken,1,D\n");
    String schema = "id BIGINT, name STRING, version INT, op STRING";
    String sink = "{\"dataId\": \"People\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"merge\","
        + " \"schema\": \"" + schema + "\", \"merge\": {\"keys\": [\"id\"], \"deleteWhen\": \"source.op = 'D'\","
        + " \"updateWhen\": \"source.version > target.version\"}}";
    // The first merge creates the table.
    PipelineTester.of(spark, pipeline("m1", source("In", initial, schema) + "," + sink, sql("In", "People", "SELECT * FROM In")))
        .writeSinks(true).run();
    PipelineTester.of(spark, pipeline("m2", source("In", changes, schema) + "," + sink, sql("In", "People", "SELECT * FROM In")))
        .writeSinks(true).run();
    List<Row> rows = spark.read().format("delta").load(table()).orderBy("id").select("id", "name", "version").collectAsList();
    assertThat(rows).containsExactly(
        RowFactory.create(1L, "ada", 1),            // untouched
        RowFactory.create(2L, "grace hopper", 2),   // updated
        RowFactory.create(4L, "edsger", 5),         // not updated: the change is older (updateWhen)
        RowFactory.create(6L, "barbara", 1));       // inserted; 3 deleted, 7 (a deletion of nothing) not inserted
    Row op = DeltaTable.forPath(spark, table()).history(1).select("operation", "operationMetrics").first();
    assertThat(op.getString(0)).isEqualTo("MERGE");
    java.util.Map<String, String> m = op.getJavaMap(1);
    assertThat(m).containsEntry("numTargetRowsUpdated", "1").containsEntry("numTargetRowsDeleted", "1")
        .containsEntry("numTargetRowsInserted", "1");
  }

  @Test
  void aFailedRunLeavesThePreviousVersion(SparkSession spark) throws Exception {
    Path good = csv("good", "id,amount\n1,10.0\n2,20.0\n");
    Path bad = csv("bad", "id,amount\n1,11.0\n2,21.0\n3,-1.0\n");
    String sink = "{\"dataId\": \"Orders\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"overwrite\","
        + " \"schema\": \"id BIGINT, amount DOUBLE\"}";
    String query = "SELECT id, CASE WHEN amount < 0 THEN CAST(raise_error('negative amount') AS DOUBLE) ELSE amount END AS amount FROM In";
    PipelineTester.of(spark, pipeline("ok", source("In", good, "id BIGINT, amount DOUBLE") + "," + sink, sql("In", "Orders", query)))
        .writeSinks(true).run();
    long before = version(spark);
    Path failing = pipeline("fail", source("In", bad, "id BIGINT, amount DOUBLE") + "," + sink, sql("In", "Orders", query));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineTester.of(spark, failing).writeSinks(true).run())
        .hasStackTraceContaining("negative amount");
    assertThat(version(spark)).as("no new version").isEqualTo(before);
    DataFrameAssertions.assertRows(spark.read().format("delta").load(table()),
        List.of(RowFactory.create(1L, 10.0), RowFactory.create(2L, 20.0)));
  }

  @Test
  void twoPipesAppendToOneTableAtTheSameTime(SparkSession spark) throws Exception {
    Path in = csv("in", "id\n1\n2\n3\n4\n5\n6\n");
    String a = "{\"dataId\": \"FromA\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"append\", \"schema\": \"id BIGINT, src STRING\"}";
    String b = a.replace("FromA", "FromB");
    Path p = pipeline("two", source("In", in, "id BIGINT") + "," + a + "," + b,
        sql("In", "FromA", "SELECT id, 'a' AS src FROM In WHERE id <= 3") + ","
            + sql("In", "FromB", "SELECT id, 'b' AS src FROM In WHERE id > 3"));
    for (int round = 0; round < 3; round++) {
      RunResult r = PipelineTester.of(spark, p).writeSinks(true).parallelism(2).run();
      assertThat(r.sinks()).hasSize(2);
    }
    assertThat(spark.read().format("delta").load(table()).count()).as("every append kept").isEqualTo(18);
    assertThat(spark.read().format("delta").load(table()).where("src = 'a'").count()).isEqualTo(9);
    assertThat(DeltaTable.forPath(spark, table()).history().count()).as("one commit per append").isEqualTo(6);
  }

  @Test
  void aNewColumnNeedsSchemaPolicyEvolve(SparkSession spark) throws Exception {
    Path in = csv("in", "id,amount\n1,10.0\n");
    String narrow = "{\"dataId\": \"Orders\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"append\", \"schema\": \"id BIGINT\"}";
    PipelineTester.of(spark, pipeline("n", source("In", in, "id BIGINT, amount DOUBLE") + "," + narrow, sql("In", "Orders", "SELECT id FROM In")))
        .writeSinks(true).run();
    String wide = narrow.replace("\"id BIGINT\"", "\"id BIGINT, amount DOUBLE\"");
    Path widePipeline = pipeline("w", source("In", in, "id BIGINT, amount DOUBLE") + "," + wide, sql("In", "Orders", "SELECT * FROM In"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineTester.of(spark, widePipeline).writeSinks(true).run())
        .hasMessageContaining("Orders").hasStackTraceContaining("schema");
    Files.writeString(widePipeline, Files.readString(widePipeline).replace("\"mode\": \"append\"", "\"mode\": \"append\", \"schemaPolicy\": \"evolve\""));
    PipelineTester.of(spark, widePipeline).writeSinks(true).run();
    List<Row> rows = spark.read().format("delta").load(table()).orderBy(org.apache.spark.sql.functions.col("amount").asc_nulls_first())
        .collectAsList();
    assertThat(rows).containsExactly(RowFactory.create(1L, null), RowFactory.create(1L, 10.0));
  }

  @Test
  void resumeNeitherAppendsAgainNorReadsEarlierRuns(SparkSession spark) throws Exception {
    Path in = csv("in", "id\n1\n2\n3\n");
    String state = dir.resolve("state").toString();
    Path p = pipeline("resume", source("In", in, "id BIGINT") + ","
            + "{\"dataId\": \"Log\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"append\", \"schema\": \"id BIGINT\"},"
            + "{\"dataId\": \"Passed\"},"
            + "{\"dataId\": \"Report\", \"location\": \"" + dir.resolve("report") + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"}",
        sql("In", "Log", "SELECT id FROM In") + ","
            + "{\"inputDataId\": [\"Log\"], \"transformerType\": \"" + FlakyPipe.class.getName() + "\", \"outputDataId\": \"Passed\"},"
            + sql("Passed", "Report", "SELECT * FROM Passed"));
    FlakyPipe.FAILS.set(false);
    assertThat(Cli.ddp("run", p.toString(), "--state-dir", state).code()).isZero();
    FlakyPipe.FAILS.set(true);
    try {
      assertThat(Cli.ddp("run", p.toString(), "--state-dir", state).code()).isEqualTo(1);
    } finally {
      FlakyPipe.FAILS.set(false);
    }
    assertThat(spark.read().format("delta").load(table()).count()).as("two runs appended").isEqualTo(6);
    Cli resumed = Cli.ddp("run", p.toString(), "--state-dir", state, "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("reading committed [Log]");
    assertThat(spark.read().format("delta").load(table()).count()).as("not appended again").isEqualTo(6);
    assertThat(spark.read().parquet(dir.resolve("report").toString()).count()).as("the failed run's rows only").isEqualTo(3);
  }

  @Test
  void aRunReadsATableAndMergesIntoItTheVersionItRead(SparkSession spark) throws Exception {
    spark.sql("SELECT id, CAST(id * 10 AS DOUBLE) AS amount FROM range(1, 6)").write().format("delta").save(table());
    String schema = "id BIGINT, amount DOUBLE";
    Path p = pipeline("rmw", "{\"dataId\": \"Current\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"schema\": \"" + schema + "\"},"
            + "{\"dataId\": \"Doubled\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"merge\","
            + " \"schema\": \"" + schema + "\", \"merge\": {\"keys\": [\"id\"]}}",
        sql("Current", "Doubled", "SELECT id, amount * 2 AS amount FROM Current WHERE id <= 2 UNION ALL SELECT 9 AS id, 90.0 AS amount"));
    Cli validated = Cli.ddp("validate", p.toString());
    assertThat(validated.code()).as(validated.err()).isZero();
    PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(spark.read().format("delta").load(table()).orderBy("id").collectAsList()).containsExactly(
        RowFactory.create(1L, 20.0), RowFactory.create(2L, 40.0), RowFactory.create(3L, 30.0), RowFactory.create(4L, 40.0),
        RowFactory.create(5L, 50.0), RowFactory.create(9L, 90.0));
  }

  @Test
  void expectationsAndMetricsWorkOnATableSink(SparkSession spark) throws Exception {
    Path good = csv("good", "id,amount\n1,10.0\n2,20.0\n");
    Path bad = csv("bad", "id,amount\n3,30.0\n4,-5.0\n");
    String sink = "{\"dataId\": \"Orders\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"append\","
        + " \"schema\": \"id BIGINT, amount DOUBLE\", \"expectations\": [{\"name\": \"positive\", \"expect\": \"amount > 0\","
        + " \"onViolation\": \"fail\"}]}";
    String metrics = ", \"metrics\": [{\"metricId\": \"revenue\", \"dataId\": \"Orders\", \"expression\": \"sum(amount)\"}]";
    Path ok = pipeline("ok", source("In", good, "id BIGINT, amount DOUBLE") + "," + sink, sql("In", "Orders", "SELECT * FROM In"));
    Files.writeString(ok, Files.readString(ok).replaceFirst("}$", metrics + "}"));
    RunResult r = PipelineTester.of(spark, ok).writeSinks(true).run();
    assertThat(r.metric("revenue")).singleElement().satisfies(m -> assertThat(m.value()).isEqualTo(30.0));
    assertThat(r.sinks()).singleElement().satisfies(s -> assertThat(s.rows()).isEqualTo(2));
    long before = version(spark);

    Path failing = pipeline("bad", source("In", bad, "id BIGINT, amount DOUBLE") + "," + sink, sql("In", "Orders", "SELECT * FROM In"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineTester.of(spark, failing).writeSinks(true).run())
        .hasStackTraceContaining("positive");
    assertThat(version(spark)).as("a failed expectation commits nothing").isEqualTo(before);
    assertThat(spark.read().format("delta").load(table()).count()).isEqualTo(2);
  }

  @Test
  void staticChecksKnowMergeAndTables(SparkSession spark) throws Exception {
    Path in = csv("in", "id\n1\n");
    Path p = pipeline("bad", source("In", in, "id BIGINT") + ","
            + "{\"dataId\": \"A\", \"location\": \"" + table() + "\", \"format\": \"delta\", \"mode\": \"merge\", \"schema\": \"id BIGINT\","
            + " \"merge\": {\"keys\": [\"idd\"], \"deleteWhen\": \"target.id = 1\"}},"
            + "{\"dataId\": \"B\", \"location\": \"" + dir.resolve("b") + "\", \"format\": \"parquet\", \"mode\": \"merge\", \"merge\": {\"keys\": [\"id\"]}},"
            + "{\"dataId\": \"C\", \"location\": \"" + dir.resolve("c") + "\", \"format\": \"csv\", \"schemaPolicy\": \"evolve\"},"
            + "{\"dataId\": \"D\", \"location\": \"" + dir.resolve("d") + "\", \"format\": \"delta\", \"mode\": \"merge\"}",
        sql("In", "A", "SELECT id FROM In") + "," + sql("In", "B", "SELECT id FROM In") + "," + sql("In", "C", "SELECT id FROM In")
            + "," + sql("In", "D", "SELECT id FROM In"));
    Cli out = Cli.ddp("validate", p.toString());
    assertThat(out.code()).isEqualTo(2);
    assertThat(out.err())
        .contains("merge key 'idd' is not a declared column (did you mean 'id'?)")
        .contains("\"deleteWhen\" decides about the row being written")
        .contains("format 'parquet' cannot merge rows into what is there")
        .contains("schemaPolicy \"evolve\" changes a table's own schema, and format 'csv' keeps none")
        .contains("mode \"merge\" needs the key columns to merge by");
  }

  @Test
  void aSessionWithoutDeltasCatalogGetsTheSettingsToAddNotDeltasStackTrace(SparkSession spark) {
    SparkSession plain = spark.newSession();
    plain.conf().unset("spark.sql.catalog.spark_catalog");
    io.ddp.core.model.DataDeclare table = io.ddp.core.model.DataDeclare.builder("Orders").location(dir.resolve("t").toString())
        .format("delta").build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeltaFormat.requireSession(plain, table))
        .hasMessage("dataset 'Orders' is a Delta table, and this SparkSession was created without Delta's extension and catalog;"
            + " ddp run sets them, or create the session with --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
            + " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog");
    DeltaFormat.requireSession(spark, table); // the shared session has both
  }
}
