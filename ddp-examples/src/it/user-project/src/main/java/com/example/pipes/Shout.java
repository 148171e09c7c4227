package com.example.pipes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.upper;

import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A user's pipe: upper-cases a column and repeats it. */
public final class Shout implements SparkPipe<Shout.Params> {
  public record Params(String column, int times) {
    public Params {
      if (column == null) {
        throw new IllegalArgumentException("\"column\" is required");
      }
      if (times < 1) {
        throw new IllegalArgumentException("\"times\" must be at least 1, not " + times);
      }
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    return inputs.only().withColumn(params.column(), repeat(upper(col(params.column())), params.times()));
  }
}
