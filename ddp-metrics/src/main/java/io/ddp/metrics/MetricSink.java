package io.ddp.metrics;

import java.util.List;

/**
 * Where metrics go. Implementations are called from the publisher's own thread for this sink, one
 * batch at a time; they may block or throw: the publisher retries with backoff, logs the first
 * failure with the sink named, counts failures, and never lets a sink slow or fail the pipeline.
 */
public interface MetricSink extends AutoCloseable {
  /** How logs and reports name this sink, e.g. {@code cloudwatch}. */
  String name();

  /** Sends a batch. Throw to have it retried. */
  void publish(List<MetricDatum> batch) throws Exception;

  @Override
  default void close() throws Exception {}
}
