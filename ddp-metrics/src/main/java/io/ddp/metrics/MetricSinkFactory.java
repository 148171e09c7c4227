package io.ddp.metrics;

import java.util.Map;

/**
 * Makes sinks of one {@code type} from their settings in {@code metricsConfig.sinks}; found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.ddp.metrics.MetricSinkFactory}), so
 * users add sinks without touching DDP.
 */
public interface MetricSinkFactory {
  /** The {@code type} this factory serves, e.g. {@code jsonl}. */
  String type();

  /**
   * A sink for these settings ({@code type} included).
   *
   * @throws IllegalArgumentException naming the setting when the settings are invalid
   */
  MetricSink create(Map<String, String> settings);
}
