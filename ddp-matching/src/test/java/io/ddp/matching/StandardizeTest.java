package io.ddp.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.spark.testing.PipeTester;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class StandardizeTest {
  private static String run(String value, String... steps) {
    return Standardize.standardize(value, List.of(steps), List.of("yyyy-MM-dd", "dd/MM/yyyy", "MMM d, yyyy"));
  }

  @Test
  void steps() {
    assertThat(run("  José   MÜLLER-Straße ", "lower", "trim", "ascii", "letters")).isEqualTo("jose muller strasse");
    assertThat(run("+44 (0)20 7946-0958", "digits", "last10")).isEqualTo("2079460958");
    assertThat(run("bob smith", "nickname")).isEqualTo("robert smith");
    assertThat(run("Bobby", "lower", "nickname")).isEqualTo("robert");
    assertThat(run("03/02/1990", "date")).isEqualTo("1990-02-03");
    assertThat(run("Feb 3, 1990", "date")).isEqualTo("1990-02-03");
    assertThat(run("sometime", "date")).isNull();
    assertThat(run("---", "letters")).as("empty becomes null").isNull();
    assertThat(run(null, "lower")).isNull();
  }

  @Test
  void asAPipe(SparkSession spark) {
    Dataset<Row> in = spark.sql("SELECT * FROM VALUES (1, ' Bob  O''Neil ', '1990-02-03'), (2, NULL, '3/2/1990') AS t(id, name, born)");
    Dataset<Row> out = PipeTester.of(spark).run("Standardize", "{\"rules\": [{\"column\": \"name\", \"steps\": [\"lower\", \"trim\","
        + " \"letters\", \"nickname\"], \"as\": \"name_std\"}, {\"column\": \"born\", \"steps\": [\"date\"], \"formats\": [\"yyyy-MM-dd\","
        + " \"d/M/yyyy\"]}]}", in);
    DataFrameAssertions.assertSchema(out, "id INT, name STRING, born STRING, name_std STRING");
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create(1, " Bob  O'Neil ", "1990-02-03", "robert o neil"),
        RowFactory.create(2, null, "1990-02-03", null)));
  }

  @Test
  void badRulesAreParamErrors() {
    assertThatThrownBy(() -> new Standardize.Rule("name", List.of("upper"), null, null)).hasMessageContaining("unknown step 'upper'");
    assertThatThrownBy(() -> new Standardize.Rule("born", List.of("date"), null, List.of("yyyy-qq-pp"))).hasMessageContaining("not a java.time pattern");
  }
}
