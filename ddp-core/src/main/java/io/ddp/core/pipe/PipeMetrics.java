package io.ddp.core.pipe;

import java.io.Serializable;

/**
 * Metrics a pipe records from its own code, published with the declared ones.
 *
 * <pre>{@code
 * PipeMetrics.Counter skipped = ctx.metrics().counter("skippedRecords");
 * Dataset<Row> out = in.filter((FilterFunction<Row>) r -> { if (bad(r)) { skipped.add(1); return false; } return true; });
 * ctx.metrics().gauge("modelVersion", 3);
 * }</pre>
 */
public interface PipeMetrics {
  /** A no-op implementation, for contexts that publish nothing. */
  PipeMetrics NONE = new PipeMetrics() {
    @Override
    public Counter counter(String name) {
      return n -> {};
    }

    @Override
    public void gauge(String name, double value) {}
  };

  /**
   * A counter summed across all tasks on all executors (Spark: an accumulator). It is serializable:
   * capture it in functions that run on executors. Its total is published when the run ends.
   */
  Counter counter(String name);

  /** A value set on the driver; the last one is published. */
  void gauge(String name, double value);

  /** Adds to a metric from any task. */
  @FunctionalInterface
  interface Counter extends Serializable {
    void add(long n);
  }
}
