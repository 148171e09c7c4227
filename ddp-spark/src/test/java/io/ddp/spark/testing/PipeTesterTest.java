package io.ddp.spark.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
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
class PipeTesterTest {
  /** Upper-cases name and adds a column: its output order differs from a declared "id, name". */
  public static final class Shout implements SparkPipe<NoParams> {
    @Override
    public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
      assertThat(inputs.ids()).containsExactly(PipeTester.INPUT);
      return inputs.only().select(upper(col("name")).as("name"), col("id"));
    }
  }

  /** Returns nothing, which the executor rejects. */
  public static final class Nothing implements SparkPipe<NoParams> {
    @Override
    public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
      return null;
    }
  }

  private static Dataset<Row> people(SparkSession spark) {
    return spark.sql("SELECT * FROM VALUES (1L, 'ada'), (2L, 'bob') AS t(id, name)");
  }

  @Test
  void oneInputInOneDataFrameOut(SparkSession spark) {
    Dataset<Row> out = PipeTester.of(spark).run(new Shout(), new NoParams(), people(spark));
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create("ADA", 1L), RowFactory.create("BOB", 2L)));
  }

  @Test
  void byTypeAndJsonParamsToo(SparkSession spark) {
    Dataset<Row> out = PipeTester.of(spark).run("sql", "{\"query\": \"SELECT id FROM Input WHERE name = 'bob'\"}", people(spark));
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create(2L)));
  }

  @Test
  void aDeclaredOutputSchemaIsHeldAsInARun(SparkSession spark) {
    Dataset<Row> ordered = PipeTester.of(spark).outputSchema("id BIGINT, name STRING").run(new Shout(), new NoParams(), people(spark));
    DataFrameAssertions.assertSchema(ordered, "id BIGINT, name STRING");

    assertThatThrownBy(() -> PipeTester.of(spark).outputSchema("id INT, name STRING, city STRING")
        .run(new Shout(), new NoParams(), people(spark)))
        .hasMessageContaining(Shout.class.getName())
        .hasMessageContaining("missing column city STRING")
        .hasMessageContaining("column id is BIGINT but declared INT");
  }

  @Test
  void aPipeReturningNullFailsAsInARun(SparkSession spark) {
    assertThatThrownBy(() -> PipeTester.of(spark).run(new Nothing(), new NoParams(), people(spark)))
        .hasMessageContaining("the pipe returned null; return a Dataset<Row>");
  }
}
