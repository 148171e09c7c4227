/**
 * Metrics without Spark: the data a run measures ({@link io.ddp.metrics.MetricDatum}), published
 * asynchronously to sinks behind an SPI ({@link io.ddp.metrics.MetricSink}): log, JSON lines,
 * CloudWatch. A sink author needs this module and ddp-core only; evaluating the declared metrics on
 * Datasets is the Spark executor's job (ddp-spark).
 */
package io.ddp.metrics;
