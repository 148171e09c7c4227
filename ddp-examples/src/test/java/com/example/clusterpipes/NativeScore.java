package com.example.clusterpipes;

import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A user's pipe whose executor-side code needs a native library that no executor has, as a model
 * runtime installed on the driver's machine only would: each task fails to load it.
 */
public final class NativeScore implements SparkPipe<NativeScore.Params> {
  public record Params(String library) {}

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    String library = params.library() == null ? "ddp_cluster_it_scorer" : params.library();
    return inputs.only().filter(new Loader(library));
  }

  static final class Loader implements FilterFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final String library;

    Loader(String library) {
      this.library = library;
    }

    @Override
    public boolean call(Row row) {
      System.loadLibrary(library);
      return true;
    }
  }
}
