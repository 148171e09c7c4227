package io.ddp.spark.io;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.model.DataDeclare;
import io.ddp.io.DeclaredIO;
import io.ddp.spark.cli.DdpCommandTest;
import io.ddp.spark.fixtures.LogCapture;
import io.ddp.testing.SparkSessionExtension;
import io.ddp.testing.servers.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDBC datasets against a real PostgreSQL server (Debian's package, a throw-away data directory, on
 * 127.0.0.1): partitioned reads, batched writes, merge as INSERT ... ON CONFLICT, and the password
 * shown nowhere. Skipped only outside CI when PostgreSQL is not installed (.ci/run installs it).
 */
@ExtendWith(SparkSessionExtension.class)
class PostgresJdbcTest {
  static PostgresServer pg;

  @TempDir
  Path dir;

  @BeforeAll
  static void start(@TempDir Path work) throws Exception {
    boolean installed = PostgresServer.binaries().isPresent();
    if (!installed && System.getenv("CI") != null) {
      throw new IllegalStateException("PostgreSQL is not installed; .ci/run installs Debian's postgresql package");
    }
    Assumptions.assumeTrue(installed, "PostgreSQL is not installed (apt-get install -y postgresql)");
    pg = PostgresServer.start(work);
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private List<String> rows(String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(r.getObject(i)));
        }
        out.add(String.join("|", cells));
      }
    }
    return out;
  }

  private String credentials() {
    return "\"user\": \"" + PostgresServer.USER + "\", \"password\": \"${pgPassword}\"";
  }

  private Path pipeline(String name, String data, String query, String in, String out) throws Exception {
    return Files.writeString(dir.resolve(name + ".json"), "{\"name\": \"" + name + "\", \"variables\": {\"pgPassword\": \"\"},"
        + " \"data\": [" + data + "], \"transformers\": [{\"inputDataId\": [\"" + in + "\"], \"transformerType\": \"sql\","
        + " \"outputDataId\": \"" + out + "\", \"params\": {\"query\": \"" + query + "\"}}]}");
  }

  private DdpCommandTest.Outcome run(Path p) {
    return ddp("run", p.toString(), "--var", "pgPassword=" + PostgresServer.PASSWORD, "--state-dir", dir.resolve("state").toString());
  }

  @Test
  void aPartitionedReadSplitsTheTableByItsBounds(SparkSession spark) throws Exception {
    sql("DROP TABLE IF EXISTS orders", "CREATE TABLE orders (id BIGINT PRIMARY KEY, amount DOUBLE PRECISION, country TEXT)",
        "INSERT INTO orders SELECT g, g * 1.5, CASE WHEN g % 3 = 0 THEN 'fr' ELSE 'de' END FROM generate_series(1, 10000) g");
    DataDeclare orders = DataDeclare.builder("Orders").format("jdbc").location(pg.url()).schema("id BIGINT, amount DOUBLE, country STRING")
        .options(java.util.Map.of("dbtable", "orders", "user", PostgresServer.USER, "password", PostgresServer.PASSWORD,
            "partitionColumn", "id", "lowerBound", "1", "upperBound", "10000", "numPartitions", "4", "fetchsize", "1000"))
        .build();
    Dataset<Row> read = DeclaredIO.load(getClass().getClassLoader()).read(spark, orders);
    assertThat(read.rdd().getNumPartitions()).isEqualTo(4);
    assertThat(read.count()).isEqualTo(10000);
    List<Long> perPartition = read.javaRDD().mapPartitions(it -> {
      long n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    assertThat(perPartition).hasSize(4).allSatisfy(n -> assertThat(n).isBetween(2000L, 3000L));
    assertThat(read.where("country = 'fr'").count()).isEqualTo(3333);
  }

  @Test
  void aSinkIsWrittenInBatchesAndMergedRowByRow(SparkSession spark) throws Exception {
    sql("DROP TABLE IF EXISTS customers");
    Path first = Files.writeString(dir.resolve("first.csv"), "id,name,version,op\n1,ada,1,U\n2,grace,1,U\n3,alan,1,U\n4,edsger,5,U\n5,ken,1,D\n");
    Path changes = Files.writeString(dir.resolve("changes.csv"),
        "id,name,version,op\n2,grace hopper,2,U\n3,alan,2,D\n4,edsger old,3,U\n6,barbara,1,U\n7,nobody,1,D\n");
    String schema = "id BIGINT, name STRING, version INT, op STRING";
    String sink = "{\"dataId\": \"Customers\", \"format\": \"jdbc\", \"location\": \"" + pg.url() + "\", \"mode\": \"merge\","
        + " \"schema\": \"" + schema + "\", \"merge\": {\"keys\": [\"id\"], \"deleteWhen\": \"source.op = 'D'\","
        + " \"updateWhen\": \"source.version > target.version\"}, \"options\": {\"dbtable\": \"customers\", \"batchsize\": \"2\", "
        + credentials() + "}}";
    for (Path csv : List.of(first, changes)) {
      String source = "{\"dataId\": \"In\", \"location\": \"" + csv + "\", \"schema\": \"" + schema + "\", \"options\": {\"header\": true}}";
      DdpCommandTest.Outcome r = run(pipeline("merge", source + "," + sink, "SELECT * FROM In", "In", "Customers"));
      assertThat(r.code()).as(r.err()).isZero();
    }
    assertThat(rows("SELECT id, name, version FROM customers ORDER BY id")).containsExactly(
        "1|ada|1",            // untouched
        "2|grace hopper|2",   // updated
        "4|edsger|5",         // kept: the change is older than the row (updateWhen)
        "6|barbara|1");       // inserted; 3 deleted; 5 and 7 were deletions of nothing
    assertThat(rows("SELECT indexdef FROM pg_indexes WHERE tablename = 'customers'"))
        .anySatisfy(i -> assertThat(i).contains("UNIQUE INDEX").contains("(id)"));

    // A batched append of many rows.
    sql("DROP TABLE IF EXISTS events");
    StringBuilder csv = new StringBuilder("id,kind\n");
    for (int i = 0; i < 5000; i++) {
      csv.append(i).append(',').append(i % 2 == 0 ? "click" : "view").append('\n');
    }
    Path events = Files.writeString(dir.resolve("events.csv"), csv.toString());
    String eventSink = "{\"dataId\": \"Events\", \"format\": \"jdbc\", \"location\": \"" + pg.url() + "\", \"mode\": \"append\","
        + " \"options\": {\"dbtable\": \"events\", \"batchsize\": \"500\", " + credentials() + "}}";
    String source = "{\"dataId\": \"In\", \"location\": \"" + events + "\", \"schema\": \"id BIGINT, kind STRING\", \"options\": {\"header\": true}}";
    DdpCommandTest.Outcome r = run(pipeline("append", source + "," + eventSink, "SELECT * FROM In", "In", "Events"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind")).containsExactly("click|2500", "view|2500");
  }

  @Test
  void aMergeIntoATableWithoutAUniqueKeySaysHowToFixItAndShowsNoPassword(SparkSession spark) throws Exception {
    sql("DROP TABLE IF EXISTS loose", "CREATE TABLE loose (id BIGINT, name TEXT)", "INSERT INTO loose VALUES (1, 'a')");
    Path in = Files.writeString(dir.resolve("in.csv"), "id,name\n1,b\n");
    String source = "{\"dataId\": \"In\", \"location\": \"" + in + "\", \"schema\": \"id BIGINT, name STRING\", \"options\": {\"header\": true}}";
    String sink = "{\"dataId\": \"Loose\", \"format\": \"jdbc\", \"location\": \"" + pg.url() + "\", \"mode\": \"merge\","
        + " \"merge\": {\"keys\": [\"id\"]}, \"options\": {\"dbtable\": \"loose\", " + credentials() + "}}";
    Path p = pipeline("loose", source + "," + sink, "SELECT * FROM In", "In", "Loose");
    try (LogCapture logs = LogCapture.start("pg-loose")) {
      DdpCommandTest.Outcome r = ddp("run", p.toString(), "--var", "pgPassword=" + PostgresServer.PASSWORD, "--state-dir",
          dir.resolve("state").toString(), "--report", dir.resolve("report.json").toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("the table has no unique index on the merge keys [id]")
          .contains("CREATE UNIQUE INDEX ON loose (\"id\")");
      String everything = r.out() + r.err() + logs.text() + Files.readString(dir.resolve("report.json"));
      assertThat(everything).doesNotContain(PostgresServer.PASSWORD);
    }
    assertThat(rows("SELECT id, name FROM loose")).containsExactly("1|a");

    // A wrong password: the database refuses, and neither password is shown.
    DdpCommandTest.Outcome wrong = ddp("run", p.toString(), "--var", "pgPassword=Wr0ng-Pg-Pass", "--state-dir", dir.resolve("state2").toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.out() + wrong.err()).contains("password authentication failed").doesNotContain("Wr0ng-Pg-Pass")
        .doesNotContain(PostgresServer.PASSWORD);
  }

  @Test
  void mergeOnAnotherDatabaseIsRefusedBeforeTheRun() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "id\n1\n");
    Path p = pipeline("h2", "{\"dataId\": \"In\", \"location\": \"" + in + "\", \"schema\": \"id BIGINT\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Out\", \"format\": \"jdbc\", \"location\": \"jdbc:h2:mem:x\", \"mode\": \"merge\", \"merge\": {\"keys\": [\"id\"]},"
        + " \"options\": {\"dbtable\": \"t\", \"partitionColumn\": \"id\"}}", "SELECT * FROM In", "In", "Out");
    DdpCommandTest.Outcome r = ddp("validate", p.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mode \"merge\" on jdbc writes INSERT ... ON CONFLICT, which DDP supports on PostgreSQL")
        .contains("a partitioned jdbc read needs all of [partitionColumn, lowerBound, upperBound, numPartitions]");
    assertThat(PipelineReader.class).isNotNull();
  }
}
