package io.ddp.core.pipe;

import io.ddp.core.model.TransformerDeclare;

/**
 * What a running pipe knows about its run, beyond its inputs and params. Platforms extend it
 * (Spark adds the {@code SparkSession}).
 */
public interface PipeContext {
  /** The name of the pipeline being run. */
  String pipelineName();

  /** The pipe's 1-based position in {@code transformers}. */
  int index();

  /** The pipe's declaration. */
  TransformerDeclare declaration();

  /** How messages name this pipe, e.g. {@code #3 ModelPredictionTransformer -> PredictionData}. */
  default String label() {
    return declaration().label(index());
  }

  /**
   * Registers something to close when this pipe's output is no longer needed (or when the run ends,
   * also on failure): temp views, cached data, clients. Closed in reverse order of registration.
   */
  void onCleanup(AutoCloseable resource);

  /** Counters and gauges the pipe records from code; published with the run's other metrics. */
  default PipeMetrics metrics() {
    return PipeMetrics.NONE;
  }

  /** Objects created once per executor JVM, per partition, or per record (see {@link Scopes}). */
  Scopes scopes();
}
