package io.ddp.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg sinks and sources: a Hadoop table by directory, a JDBC catalog in SQLite, time travel, merge, failures. */
@ExtendWith(SparkSessionExtension.class)
class IcebergTableTest {
  @TempDir
  Path dir;

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private Path pipeline(String name, String data, String transformers) throws Exception {
    return file(name + ".json", "{\"name\": \"" + name + "\", \"data\": [" + data + "], \"transformers\": [" + transformers + "]}");
  }

  private static String source(String id, Path csv, String schema) {
    return "{\"dataId\": \"" + id + "\", \"location\": \"" + csv + "\", \"schema\": \"" + schema + "\", \"options\": {\"header\": true}}";
  }

  private static String sql(String in, String out, String query) {
    return "{\"inputDataId\": [\"" + in + "\"], \"transformerType\": \"sql\", \"outputDataId\": \"" + out + "\","
        + " \"params\": {\"query\": \"" + query + "\"}}";
  }

  private List<Long> snapshots(SparkSession spark, String table) {
    return spark.sql("SELECT snapshot_id FROM " + table + ".snapshots ORDER BY committed_at").as(org.apache.spark.sql.Encoders.LONG())
        .collectAsList();
  }

  @Test
  void aTableByDirectoryAppendsOverwritesAndTravelsInTime(SparkSession spark) throws Exception {
    String location = dir.resolve("warehouse/events").toString();
    Path day1 = file("day1.csv", "id,kind\n1,click\n2,view\n");
    Path day2 = file("day2.csv", "id,kind\n3,click\n");
    String sink = "{\"dataId\": \"Events\", \"location\": \"" + location + "\", \"format\": \"iceberg\", \"mode\": \"append\","
        + " \"schema\": \"id BIGINT, kind STRING\", \"partitionBy\": [\"kind\"]}";
    for (Path day : List.of(day1, day2)) {
      PipelineTester.of(spark, pipeline("load", source("In", day, "id BIGINT, kind STRING") + "," + sink, sql("In", "Events", "SELECT * FROM In")))
          .writeSinks(true).run();
    }
    String table = IcebergFormat.table(spark, io.ddp.core.model.DataDeclare.builder("Events").location(location).format("iceberg").build());
    List<Long> snaps = snapshots(spark, table);
    assertThat(snaps).hasSize(2);
    assertThat(Files.exists(dir.resolve("warehouse/events/metadata"))).isTrue();
    assertThat(Files.list(dir.resolve("warehouse/events/data")).map(p -> p.getFileName().toString()).toList())
        .as("partitioned by kind").contains("kind=click", "kind=view");

    String then = "{\"dataId\": \"Then\", \"location\": \"" + location + "\", \"format\": \"iceberg\", \"schema\": \"id BIGINT, kind STRING\","
        + " \"options\": {\"versionAsOf\": \"" + snaps.get(0) + "\"}}";
    PipelineTester.of(spark, pipeline("read", then + ", {\"dataId\": \"Out\", \"format\": \"memory\", \"location\": \"ice-then\", \"mode\": \"overwrite\"}",
        sql("Then", "Out", "SELECT id FROM Then"))).writeSinks(true).run();
    DataFrameAssertions.assertRows(io.ddp.io.MemoryFormat.get("ice-then"), List.of(RowFactory.create(1L), RowFactory.create(2L)));
    io.ddp.io.MemoryFormat.remove("ice-then");

    PipelineTester.of(spark, pipeline("over", source("In", day2, "id BIGINT, kind STRING") + "," + sink.replace("\"append\"", "\"overwrite\""),
        sql("In", "Events", "SELECT * FROM In"))).writeSinks(true).run();
    assertThat(spark.table(table).count()).isEqualTo(1);
    assertThat(spark.read().format("iceberg").option("versionAsOf", snaps.get(1)).load(table).count()).isEqualTo(3);
  }

  @Test
  void aJdbcCatalogMergesRowByRowAndAFailedRunLeavesTheSnapshot(SparkSession spark) throws Exception {
    String catalog = "\"catalog.type\": \"jdbc\", \"catalog.uri\": \"jdbc:sqlite:" + dir.resolve("catalog.db") + "\","
        + " \"catalog.warehouse\": \"" + dir.resolve("wh") + "\"";
    String schema = "id BIGINT, name STRING, version INT, op STRING";
    String sink = "{\"dataId\": \"People\", \"location\": \"crm.people\", \"format\": \"iceberg\", \"mode\": \"merge\","
        + " \"schema\": \"" + schema + "\", \"options\": {" + catalog + "}, \"merge\": {\"keys\": [\"id\"],"
        + " \"deleteWhen\": \"source.op = 'D'\", \"updateWhen\": \"source.version > target.version\"}}";
    Path initial = file("initial.csv", "id,name,version,op\n1,ada,1,U\n2,grace,1,U\n3,alan,1,U\n4,edsger,5,U\n");
    Path changes = file("changes.csv", "id,name,version,op\n2,grace hopper,2,U\n3,alan,2,D\n4,edsger old,3,U\n6,barbara,1,U\n7,ken,1,D\n");
    // The namespace crm does not exist yet: the first write creates it.
    PipelineTester.of(spark, pipeline("m1", source("In", initial, schema) + "," + sink, sql("In", "People", "SELECT * FROM In")))
        .writeSinks(true).run();
    PipelineTester.of(spark, pipeline("m2", source("In", changes, schema) + "," + sink, sql("In", "People", "SELECT * FROM In")))
        .writeSinks(true).run();
    String people = "{\"dataId\": \"Now\", \"location\": \"crm.people\", \"format\": \"iceberg\", \"options\": {" + catalog + "}}";
    Path read = pipeline("read", people + ", {\"dataId\": \"Out\", \"format\": \"memory\", \"location\": \"ice-people\", \"mode\": \"overwrite\"}",
        sql("Now", "Out", "SELECT id, name, version FROM Now"));
    // Through the command line: a table name is not a path that must exist before the run.
    Cli cli = Cli.ddp("run", read.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(cli.code()).as(cli.err()).isZero();
    List<Row> rows = io.ddp.io.MemoryFormat.get("ice-people").orderBy("id").collectAsList();
    assertThat(rows).containsExactly(RowFactory.create(1L, "ada", 1), RowFactory.create(2L, "grace hopper", 2),
        RowFactory.create(4L, "edsger", 5), RowFactory.create(6L, "barbara", 1));
    io.ddp.io.MemoryFormat.remove("ice-people");

    // A run that fails while writing adds no snapshot.
    String table = IcebergFormat.table(spark, io.ddp.core.model.DataDeclare.builder("x").location("crm.people").format("iceberg")
        .options(java.util.Map.of("catalog.type", "jdbc", "catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"), "catalog.warehouse",
            dir.resolve("wh").toString())).build());
    List<Long> before = snapshots(spark, table);
    Path failing = pipeline("fail", source("In", changes, schema) + "," + sink.replace("\"merge\", \"schema\"", "\"overwrite\", \"schema\"")
            .replaceAll(", \"merge\": \\{[^}]*\\}", ""),
        sql("In", "People", "SELECT id, CASE WHEN id = 7 THEN raise_error('bad row') ELSE name END AS name, version, op FROM In"));
    assertThatThrownBy(() -> PipelineTester.of(spark, failing).writeSinks(true).run()).hasStackTraceContaining("bad row");
    assertThat(snapshots(spark, table)).isEqualTo(before);
    assertThat(spark.table(table).count()).isEqualTo(4);
  }

  @Test
  void twoPipesAppendToOneTableAtTheSameTime(SparkSession spark) throws Exception {
    String location = dir.resolve("warehouse/log").toString();
    Path in = file("in.csv", "id\n1\n2\n3\n4\n5\n6\n");
    String a = "{\"dataId\": \"FromA\", \"location\": \"" + location + "\", \"format\": \"iceberg\", \"mode\": \"append\", \"schema\": \"id BIGINT, src STRING\"}";
    String b = a.replace("FromA", "FromB");
    // The first round creates the table from both pipes at once; later rounds append to it.
    Path p = pipeline("two", source("In", in, "id BIGINT") + "," + a + "," + b,
        sql("In", "FromA", "SELECT id, 'a' AS src FROM In WHERE id <= 3") + ","
            + sql("In", "FromB", "SELECT id, 'b' AS src FROM In WHERE id > 3"));
    for (int round = 0; round < 3; round++) {
      PipelineTester.of(spark, p).writeSinks(true).parallelism(2).run();
    }
    String table = IcebergFormat.table(spark, io.ddp.core.model.DataDeclare.builder("x").location(location).format("iceberg").build());
    assertThat(spark.table(table).count()).isEqualTo(18);
    assertThat(snapshots(spark, table)).hasSize(6);
  }

  @Test
  void aNewColumnIsAddedUnderEvolveAndResumeDoesNotAppendTwice(SparkSession spark) throws Exception {
    String location = dir.resolve("warehouse/log").toString();
    Path in = file("in.csv", "id,amount\n1,10.0\n2,20.0\n3,30.0\n");
    String table = IcebergFormat.table(spark, io.ddp.core.model.DataDeclare.builder("x").location(location).format("iceberg").build());
    PipelineTester.of(spark, pipeline("narrow", source("In", in, "id BIGINT, amount DOUBLE") + ",{\"dataId\": \"Log\", \"location\": \""
        + location + "\", \"format\": \"iceberg\", \"mode\": \"append\", \"schema\": \"id BIGINT\"}", sql("In", "Log", "SELECT id FROM In")))
        .writeSinks(true).run();
    String wide = "{\"dataId\": \"Log\", \"location\": \"" + location + "\", \"format\": \"iceberg\", \"mode\": \"append\","
        + " \"schema\": \"id BIGINT, amount DOUBLE\"}";
    Path failsOnSchema = pipeline("wide", source("In", in, "id BIGINT, amount DOUBLE") + "," + wide, sql("In", "Log", "SELECT * FROM In"));
    assertThatThrownBy(() -> PipelineTester.of(spark, failsOnSchema).writeSinks(true).run()).hasMessageContaining("Log");
    assertThat(spark.table(table).columns()).containsExactly("id");

    // Evolve, in a run whose later pipe fails; --resume then neither appends again nor reads earlier rows.
    String state = dir.resolve("state").toString();
    Path p = pipeline("resume", source("In", in, "id BIGINT, amount DOUBLE") + ","
            + wide.replace("\"mode\": \"append\"", "\"mode\": \"append\", \"schemaPolicy\": \"evolve\"") + ","
            + "{\"dataId\": \"Passed\"}, {\"dataId\": \"Report\", \"location\": \"" + dir.resolve("report") + "\", \"format\": \"parquet\","
            + " \"mode\": \"overwrite\"}",
        sql("In", "Log", "SELECT * FROM In") + ",{\"inputDataId\": [\"Log\"], \"transformerType\": \"" + FlakyPipe.class.getName()
            + "\", \"outputDataId\": \"Passed\"}," + sql("Passed", "Report", "SELECT * FROM Passed"));
    FlakyPipe.FAILS.set(true);
    try {
      assertThat(Cli.ddp("run", p.toString(), "--state-dir", state).code()).isEqualTo(1);
    } finally {
      FlakyPipe.FAILS.set(false);
    }
    assertThat(spark.table(table).columns()).containsExactly("id", "amount");
    assertThat(spark.table(table).count()).isEqualTo(6);
    Cli resumed = Cli.ddp("run", p.toString(), "--state-dir", state, "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("reading committed [Log]");
    assertThat(spark.table(table).count()).as("not appended again").isEqualTo(6);
    DataFrameAssertions.assertRows(spark.read().parquet(dir.resolve("report").toString()).select("id", "amount"),
        List.of(RowFactory.create(1L, 10.0), RowFactory.create(2L, 20.0), RowFactory.create(3L, 30.0)));
  }

  @Test
  void catalogOptionsAndMergeConditionsAreCheckedBeforeTheRun() throws Exception {
    Path in = file("in.csv", "id\n1\n");
    String sinks = "{\"dataId\": \"A\", \"location\": \"db.a\", \"format\": \"iceberg\", \"mode\": \"append\"},"
        + "{\"dataId\": \"B\", \"location\": \"db.b\", \"format\": \"iceberg\", \"mode\": \"append\","
        + " \"options\": {\"catalog.type\": \"jdbc\"}},"
        + "{\"dataId\": \"C\", \"location\": \"db.c\", \"format\": \"iceberg\", \"mode\": \"append\","
        + " \"options\": {\"catalog.type\": \"hadop\", \"catalog.warehouse\": \"/tmp/wh\"}},"
        + "{\"dataId\": \"D\", \"location\": \"" + dir.resolve("wh/d") + "\", \"format\": \"iceberg\", \"mode\": \"merge\","
        + " \"schema\": \"id BIGINT\", \"options\": {\"catalog\": \"prod\"}, \"merge\": {\"keys\": [\"id\"], \"updateWhen\": \"source.id >\"}}";
    Path p = pipeline("checks", source("In", in, "id BIGINT") + "," + sinks, sql("In", "A", "SELECT id FROM In") + ","
        + sql("In", "B", "SELECT id FROM In") + "," + sql("In", "C", "SELECT id FROM In") + "," + sql("In", "D", "SELECT id FROM In"));
    Cli out = Cli.ddp("validate", "--no-spark", p.toString());
    assertThat(out.code()).as(out.out() + out.err()).isEqualTo(2);
    assertThat(out.err())
        .contains("dataset 'A'").contains("the table name 'db.a' needs its catalog: option \"catalog\"")
        .contains("a jdbc catalog needs \"catalog.uri\"").contains("catalog type jdbc needs \"catalog.warehouse\"")
        .contains("unknown Iceberg catalog type 'hadop'; use hadoop or jdbc")
        .contains("the location is a directory, so its table is in a Hadoop catalog of the parent directory")
        .contains("\"updateWhen\" is not a SQL condition");
  }

  @Test
  void errorIfExistsOnAnExistingTableFailsTheRunAndNamesTheModesThatWrite(SparkSession spark) throws Exception {
    String location = dir.resolve("warehouse/once").toString();
    Path rows = file("rows.csv", "id\n1\n");
    String sink = "{\"dataId\": \"Once\", \"location\": \"" + location + "\", \"format\": \"iceberg\", \"mode\": \"errorIfExists\","
        + " \"schema\": \"id BIGINT\"}";
    Path p = pipeline("once", source("In", rows, "id BIGINT") + "," + sink, sql("In", "Once", "SELECT * FROM In"));
    PipelineTester.of(spark, p).writeSinks(true).run();
    String table = IcebergFormat.table(spark, io.ddp.core.model.DataDeclare.builder("Once").location(location).format("iceberg").build());
    List<Long> before = snapshots(spark, table);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run())
        .hasMessageContaining("Iceberg table " + table + " already exists and the mode is errorIfExists;"
            + " declare \"mode\": \"append\", \"overwrite\" or \"merge\"");
    assertThat(snapshots(spark, table)).as("the table is untouched").isEqualTo(before);
  }
}
