package io.ddp.spark;

import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.PipeContext;
import io.ddp.core.pipe.PipeMetrics;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/** What a Spark pipe gets besides its inputs and params: the session that runs the pipeline. */
public interface SparkPipeContext extends PipeContext {
  SparkSession spark();

  /**
   * The context the executor gives a pipe; also what tests and analysers use to apply a pipe outside
   * a run. Cleanups go to {@code onCleanup} (called under a lock, so pipes may register from any thread).
   */
  static SparkPipeContext of(SparkSession spark, String pipelineName, int index, TransformerDeclare declaration,
      Consumer<AutoCloseable> onCleanup, PipeMetrics metrics) {
    return new StandardPipeContext(spark, pipelineName, index, declaration, onCleanup, metrics);
  }
}
