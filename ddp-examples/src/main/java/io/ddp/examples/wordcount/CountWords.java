package io.ddp.examples.wordcount;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Counts each word, most frequent first (ties by word). Output: {@code word, n}. */
public final class CountWords implements SparkPipe<NoParams> {
  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
    return inputs.only().groupBy("word").agg(count(lit(1)).as("n")).orderBy(col("n").desc(), col("word"));
  }
}
