package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.io.SchemaContract;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every pipe's output passes, in a run and in {@code PipeTester} alike: it is a DataFrame,
 * and it holds its dataset's declared schema ({@link SchemaContract#onWrite}).
 */
public final class PipeOutput {
  private static final Logger LOG = LoggerFactory.getLogger(PipeOutput.class);

  private PipeOutput() {}

  /** The output with exactly the declared columns, in the declared order; fails naming the pipe. */
  public static Dataset<Row> check(Dataset<Row> out, DataDeclare target, String pipeLabel) {
    if (out == null) {
      throw new DdpException("the pipe returned null; return a Dataset<Row>");
    }
    SchemaContract.Result checked = SchemaContract.onWrite(out, target, pipeLabel);
    if (!checked.changes().isEmpty()) {
      LOG.warn("{}: output cast to the declared schema of '{}' (schemaPolicy cast): {}", pipeLabel, target.dataId(),
          String.join("; ", checked.changes()));
    }
    return checked.rows();
  }
}
