package io.ddp.tables;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.NoSchemaDerivation;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Passes its input through, or throws in the driver while {@link #FAILS} is set: a run that fails after a sink committed. */
@NoSchemaDerivation("fails on demand in apply")
public final class FlakyPipe implements SparkPipe<NoParams> {
  static final AtomicBoolean FAILS = new AtomicBoolean();

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
    if (FAILS.get()) {
      throw new IllegalStateException("flaky dependency unavailable");
    }
    return inputs.only();
  }
}
