package io.ddp.examples.wordcount;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.split;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Splits a text column into lower-case words, one row per word. Output: {@code word}. */
public final class SplitWords implements SparkPipe<SplitWords.Params> {
  /** @param column the text column; {@code value} (the text format's column) when absent */
  public record Params(@Param(value = "The text column", defaultValue = "value") String column) {
    public Params {
      column = column == null ? "value" : column;
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    return inputs.only()
        .select(explode(split(lower(col(params.column())), "[^\\p{L}\\p{N}']+")).as("word"))
        .where(col("word").notEqual(""));
  }
}
