package io.ddp.spark.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipeTester;
import io.ddp.testing.SparkSessionExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class SqlPipeTest {
  private static Map<String, Dataset<Row>> inputs(SparkSession spark) {
    Map<String, Dataset<Row>> in = new LinkedHashMap<>();
    in.put("Orders", spark.sql("SELECT * FROM VALUES (1, 'c1', 10.0D), (2, 'c2', 5.0D), (3, 'c1', 2.5D) AS t(order_id, customer_id, amount)"));
    in.put("Customers", spark.sql("SELECT * FROM VALUES ('c1', 'FR'), ('c2', 'DE') AS t(customer_id, country)"));
    return in;
  }

  @Test
  void joinsInputsByTheirDataIds(SparkSession spark) {
    Dataset<Row> out = PipeTester.of(spark).run("sql",
        "{\"query\": \"SELECT c.country, sum(o.amount) AS total FROM Orders o JOIN Customers c USING (customer_id) GROUP BY c.country\"}",
        inputs(spark));
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create("FR", 12.5), RowFactory.create("DE", 5.0)));
  }

  @Test
  void mergesWithTheQuerysOwnWithClause(SparkSession spark) {
    Dataset<Row> out = PipeTester.of(spark).run("sql",
        "{\"query\": \"  -- big orders\\n WITH big AS (SELECT * FROM Orders WHERE amount > 3) SELECT count(*) AS n FROM big\"}",
        inputs(spark));
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create(2L)));
  }

  @Test
  void leavesNoTempViewsBehind(SparkSession spark) {
    PipeTester.of(spark).run("sql", "{\"query\": \"SELECT * FROM Orders\"}", inputs(spark)).collectAsList();
    List<Table> tables = spark.catalog().listTables().collectAsList();
    assertThat(tables).extracting(Table::name).noneMatch(n -> n.startsWith("ddp_"));
    assertThat(spark.catalog().tableExists("Orders")).isFalse();
  }

  @Test
  void viewsOfOnePipeAreInvisibleToAnother(SparkSession spark) {
    Dataset<Row> first = PipeTester.of(spark).run("sql", "{\"query\": \"SELECT * FROM Orders\"}", inputs(spark));
    assertThat(first.count()).isEqualTo(3);
    assertThatThrownBy(() -> PipeTester.of(spark).run("sql", "{\"query\": \"SELECT * FROM Orders\"}",
        Map.of("Customers", inputs(spark).get("Customers"))))
        .hasMessageContaining("query failed")
        .hasMessageContaining("Orders")
        .hasMessageContaining("the inputs are visible as [Customers]");
  }

  @Test
  void unknownColumnNamesTheInputs(SparkSession spark) {
    assertThatThrownBy(() -> PipeTester.of(spark).run("sql", "{\"query\": \"SELECT nope FROM Orders\"}", inputs(spark)))
        .hasMessageContaining("nope")
        .hasMessageContaining("[Orders, Customers]")
        .hasMessageNotContaining("ddp_");
  }

  @Test
  void missingQueryIsAParamsError(SparkSession spark) {
    assertThatThrownBy(() -> PipeTester.of(spark).run("sql", "{}", inputs(spark)))
        .hasMessageContaining("\"query\" is required");
    assertThatThrownBy(() -> PipeTester.of(spark).run("sql", "{\"querry\": \"SELECT 1\"}", inputs(spark)))
        .hasMessageContaining("unknown param 'querry' (did you mean 'query'?)");
  }

  @Test
  void withInputsPlacesCtesInFront() {
    assertThat(SqlPipe.withInputs("SELECT 1", "`A` AS (SELECT * FROM `v`)"))
        .isEqualTo("WITH `A` AS (SELECT * FROM `v`)\nSELECT 1");
    assertThat(SqlPipe.withInputs("/* c */ with x AS (SELECT 1) SELECT * FROM x", "`A` AS (SELECT * FROM `v`)"))
        .isEqualTo("WITH `A` AS (SELECT * FROM `v`), x AS (SELECT 1) SELECT * FROM x");
    assertThat(SqlPipe.withInputs("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", "`A` AS (SELECT * FROM `v`)"))
        .isEqualTo("WITH RECURSIVE `A` AS (SELECT * FROM `v`), r AS (SELECT 1) SELECT * FROM r");
    assertThat(SqlPipe.withInputs("withdrawals", "`A` AS (x)")).isEqualTo("WITH `A` AS (x)\nwithdrawals");
  }

  @Test
  void onlyQueriesAreAllowedAndAStatementIsNeverRun(SparkSession spark) {
    assertThat(SqlPipe.notAQuery("SELECT 1")).isNull();
    assertThat(SqlPipe.notAQuery("WITH a AS (SELECT 1 AS x) SELECT * FROM a")).isNull();
    assertThat(SqlPipe.notAQuery("VALUES (1), (2)")).isNull();
    assertThat(SqlPipe.notAQuery("(SELECT 1) UNION ALL (SELECT 2) ORDER BY 1")).isNull();
    for (String statement : List.of("WITH x AS (SELECT * FROM Orders) INSERT OVERWRITE TABLE ddp_dml_target SELECT * FROM x",
        "INSERT INTO ddp_dml_target SELECT 1", "CREATE TABLE ddp_dml_target AS SELECT 1 AS x", "DROP TABLE ddp_dml_target",
        "CACHE TABLE ddp_dml_target AS SELECT 1", "SET spark.sql.shuffle.partitions=1", "SELECT 1; DROP TABLE ddp_dml_target")) {
      assertThat(SqlPipe.notAQuery(statement)).as(statement).isNotNull();
    }
    assertThat(SqlPipe.notAQuery("WITH x AS (SELECT 1) INSERT OVERWRITE TABLE t SELECT * FROM x"))
        .contains("not a query: a sql pipe only reads (SELECT, WITH ... SELECT, VALUES, TABLE)");

    String ctas = "{\"query\": \"CREATE TABLE ddp_dml_target USING parquet AS SELECT * FROM Orders\"}";
    assertThatThrownBy(() -> PipeTester.of(spark).run("sql", ctas, inputs(spark)))
        .hasMessageContaining("not a query");
    assertThat(spark.catalog().tableExists("ddp_dml_target")).as("the statement was not run").isFalse();
  }
}
