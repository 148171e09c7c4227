package io.ddp.examples.quickstart;

import static org.apache.spark.sql.functions.array_remove;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quickstart step 1: joins the text columns of a review, lower-cases it, keeps letters, digits and
 * apostrophes, and splits it into tokens. Output: {@code review_id, clean_text, tokens}.
 */
public final class PreprocessPipe implements SparkPipe<PreprocessPipe.Params> {
  /** @param textColumns the columns holding review text, joined in this order */
  public record Params(@Param(value = "The columns holding review text, joined in this order", required = true) List<String> textColumns) {
    public Params {
      if (textColumns == null || textColumns.isEmpty()) {
        throw new IllegalArgumentException("\"textColumns\" is required: the columns holding the review text");
      }
      textColumns = List.copyOf(textColumns);
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    Column[] texts = params.textColumns().stream().map(c -> coalesce(col(c), lit(""))).toArray(Column[]::new);
    Column clean = trim(regexp_replace(regexp_replace(lower(concat_ws(" ", texts)), "[^\\p{L}\\p{N}']+", " "), "\\s+", " "));
    return inputs.only()
        .select(col("review_id"), clean.as("clean_text"))
        .withColumn("tokens", array_remove(split(col("clean_text"), " "), ""));
  }
}
