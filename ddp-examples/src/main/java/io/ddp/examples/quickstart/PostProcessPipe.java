package io.ddp.examples.quickstart;

import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quickstart step 4: joins predictions back to the reviews and flags where the predicted sentiment
 * disagrees with the star rating, the reviews worth a human look. Output:
 * {@code review_id, product_id, rating, score, sentiment, agrees_with_rating} ordered by review.
 */
public final class PostProcessPipe implements SparkPipe<NoParams> {
  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
    Dataset<Row> reviews = inputs.get(0);
    Dataset<Row> predictions = inputs.get(1);
    Column positive = col("sentiment").equalTo(lit("positive"));
    Column agrees = when(col("rating").geq(4), positive)
        .when(col("rating").leq(2), positive.unary_$bang())
        .otherwise(lit(null).cast("boolean"));
    return reviews.select("review_id", "product_id", "rating")
        .join(predictions, "review_id")
        .select(col("review_id"), col("product_id"), col("rating"), bround(col("score"), 3).as("score"),
            col("sentiment"), agrees.as("agrees_with_rating"))
        .orderBy("review_id");
  }
}
