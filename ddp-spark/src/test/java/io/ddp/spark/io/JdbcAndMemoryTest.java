package io.ddp.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.io.MemoryFormat;
import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.RunResult;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The jdbc format against a real embedded database (H2), and the in-memory format. */
@ExtendWith(SparkSessionExtension.class)
class JdbcAndMemoryTest {
  @TempDir
  Path dir;

  @Test
  void readsATableAndAQueryAndWritesATable(SparkSession spark) throws Exception {
    String url = "jdbc:h2:" + dir.resolve("shop").toAbsolutePath() + ";MODE=PostgreSQL";
    try (Connection c = DriverManager.getConnection(url, "ddp", "s3cret-pw"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(20), amount DECIMAL(10,2))");
      s.execute("INSERT INTO orders VALUES (1, 'ada', 10.50), (2, 'grace', 3.25), (3, 'ada', 7.00)");
    }
    Path p = dir.resolve("jdbc.json");
    Files.writeString(p, "{\"name\": \"jdbc\", \"variables\": {\"url\": \"" + url + "\"}, \"data\": [\n"
        + "{\"dataId\": \"Orders\", \"format\": \"jdbc\", \"location\": \"${url}\", \"schema\": \"id BIGINT, customer STRING, amount DECIMAL(10,2)\","
        + " \"options\": {\"dbtable\": \"orders\", \"user\": \"ddp\", \"password\": \"${env:DDP_TEST_DB_PASSWORD:-s3cret-pw}\"}},\n"
        + "{\"dataId\": \"Big\", \"format\": \"jdbc\", \"location\": \"${url}\","
        + " \"options\": {\"query\": \"SELECT id FROM orders WHERE amount > 5\", \"user\": \"ddp\", \"password\": \"s3cret-pw\"}},\n"
        + "{\"dataId\": \"Totals\", \"format\": \"jdbc\", \"location\": \"${url}\", \"mode\": \"overwrite\","
        + " \"options\": {\"dbtable\": \"customer_totals\", \"user\": \"ddp\", \"password\": \"s3cret-pw\"}}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"Orders\", \"Big\"], \"transformerType\": \"sql\", \"outputDataId\": \"Totals\","
        + " \"params\": {\"query\": \"SELECT customer, sum(amount) AS total, count(*) AS orders FROM Orders WHERE id IN (SELECT id FROM Big) GROUP BY customer\"}}]}");

    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(result.sinks().get(0).rows()).isEqualTo(1);
    try (Connection c = DriverManager.getConnection(url, "ddp", "s3cret-pw"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT \"customer\", \"total\", \"orders\" FROM customer_totals")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ada");
      assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("17.50");
      assertThat(rs.getLong(3)).isEqualTo(2);
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void aWrongPasswordFailsWithoutShowingIt(SparkSession spark) throws Exception {
    String url = "jdbc:h2:" + dir.resolve("locked").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url, "ddp", "right-one")) {
      c.createStatement().execute("CREATE TABLE t (id INT)");
    }
    Path p = dir.resolve("bad.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"T\", \"format\": \"jdbc\", \"location\": \"" + url + ";PASSWORD=in-the-url-too\","
        + " \"options\": {\"dbtable\": \"t\", \"user\": \"ddp\", \"password\": \"wrong-secret-42\"}}, {\"dataId\": \"U\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"T\"], \"transformerType\": \"sql\", \"outputDataId\": \"U\", \"params\": {\"query\": \"SELECT * FROM T\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("Cannot read dataset 'T'")
        .hasMessageNotContaining("wrong-secret-42")
        .hasMessageNotContaining("in-the-url-too");
  }

  @Test
  void jdbcDeclarationsAreChecked(SparkSession spark) throws Exception {
    Path p = dir.resolve("check.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"T\", \"format\": \"jdbc\", \"location\": \"postgres-db\", \"options\": {}}, {\"dataId\": \"U\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"T\"], \"transformerType\": \"sql\", \"outputDataId\": \"U\", \"params\": {\"query\": \"SELECT * FROM T\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).run())
        .hasMessageContaining("a jdbc dataset needs its JDBC URL as \"location\"")
        .hasMessageContaining("a jdbc dataset needs exactly one of the options \"dbtable\" (a table) or \"query\"");
  }

  @Test
  void theMemoryFormatReadsAndWritesInThisJvm(SparkSession spark) throws Exception {
    MemoryFormat.put("people", spark.sql("SELECT * FROM VALUES (1, 'ada'), (2, 'linus') AS t(id, name)"));
    Path p = dir.resolve("mem.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"People\", \"format\": \"memory\", \"location\": \"people\"},"
        + " {\"dataId\": \"Upper\", \"format\": \"memory\", \"location\": \"upper\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Upper\","
        + " \"params\": {\"query\": \"SELECT id, upper(name) AS name FROM People\"}}]}");
    PipelineTester.of(spark, p).writeSinks(true).run();
    DataFrameAssertions.assertRows(MemoryFormat.get("upper"), List.of(RowFactory.create(1, "ADA"), RowFactory.create(2, "LINUS")));
    MemoryFormat.remove("people");
    MemoryFormat.remove("upper");
  }
}
