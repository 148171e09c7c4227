package io.ddp.examples.quickstart;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quickstart step 2: surface features of the raw review text that carry sentiment beyond words:
 * length, exclamation marks and the share of capital letters (shouting).
 * Output: {@code review_id, text_length, exclamations, capital_ratio}.
 */
public final class FeatureGenerationPipe implements SparkPipe<NoParams> {
  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
    Column text = coalesce(col("text"), lit(""));
    Column letters = length(regexp_replace(text, "[^\\p{L}]", ""));
    Column capitals = length(regexp_replace(text, "[^\\p{Lu}]", ""));
    return inputs.only().select(
        col("review_id"),
        length(text).as("text_length"),
        length(text).minus(length(regexp_replace(text, "!", ""))).as("exclamations"),
        when(letters.equalTo(0), lit(0.0)).otherwise(capitals.cast("double").divide(greatest(letters, lit(1)))).as("capital_ratio"));
  }
}
