package io.ddp.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class DataFrameAssertionsTest {
  @Test
  void rowsInAnyOrderWithNestedValuesPass(SparkSession spark) {
    Dataset<Row> df = spark.sql("SELECT * FROM VALUES (1, array('x', 'y')), (2, array()) AS t(id, tags)");
    DataFrameAssertions.assertRows(df, List.of(
        RowFactory.create(2, scala.jdk.javaapi.CollectionConverters.asScala(List.of()).toSeq()),
        RowFactory.create(1, scala.jdk.javaapi.CollectionConverters.asScala(List.of("x", "y")).toSeq())));
  }

  @Test
  void duplicatesCountAndFailuresListMissingAndUnexpectedRows(SparkSession spark) {
    Dataset<Row> df = spark.sql("SELECT * FROM VALUES (1, 'a'), (1, 'a'), (2, 'b') AS t(id, name)");
    assertThatThrownBy(() -> DataFrameAssertions.assertRows(df, List.of(RowFactory.create(1, "a"), RowFactory.create(3, "c"),
        RowFactory.create(2, "b"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("DataFrame rows differ (3 actual, 3 expected)")
        .hasMessageContaining("missing 1: [[3,c]]")
        .hasMessageContaining("unexpected 1: [[1,a]]");
  }

  @Test
  void typeMismatchThatPrintsTheSameIsExplained(SparkSession spark) {
    Dataset<Row> df = spark.sql("SELECT 1.5 AS x");
    assertThatThrownBy(() -> DataFrameAssertions.assertRows(df, List.of(RowFactory.create(1.5D))))
        .hasMessageContaining("print the same but hold values of different types");
  }

  @Test
  void schemaDifferencesAreNamed(SparkSession spark) {
    Dataset<Row> df = spark.sql("SELECT 1L AS id, 'a' AS name");
    assertThatThrownBy(() -> DataFrameAssertions.assertSchema(df, "id INT, name STRING, city STRING"))
        .hasMessageContaining("missing column city STRING")
        .hasMessageContaining("column id is BIGINT but declared INT");
    assertThatThrownBy(() -> DataFrameAssertions.assertSchema(df, "name STRING, id BIGINT"))
        .hasMessageContaining("Columns are in a different order: actual [id, name], expected [name, id]");
    Dataset<Row> other = spark.sql("SELECT 'a' AS name");
    assertThatThrownBy(() -> DataFrameAssertions.assertSameRows(df, other)).hasMessageContaining("undeclared column id BIGINT");
  }
}
