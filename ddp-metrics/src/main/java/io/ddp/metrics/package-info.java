/**
 * Metrics: evaluating declared metrics on a Dataset while it is written ({@link
 * io.ddp.metrics.MetricEvaluator}), and publishing data asynchronously to sinks behind an SPI
 * ({@link io.ddp.metrics.MetricSink}): log, JSON lines, CloudWatch.
 */
package io.ddp.metrics;
