package io.ddp.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run publishes metrics, from the pipeline's {@code metricsConfig}.
 *
 * <pre>{@code
 * "metricsConfig": {"intervalSeconds": 30, "report": "reports/run.json",
 *                   "sinks": [{"type": "log"}, {"type": "cloudwatch", "namespace": "DDP", "region": "eu-west-1"}]}
 * }</pre>
 *
 * @param intervalSeconds how often the publisher sends what it has (default 30)
 * @param progressSeconds how often running pipes' progress is logged (default 5; 0 for never)
 * @param maxGroups most groups a grouped metric publishes, the largest first (default 100)
 * @param report where the JSON run report is written; null for the default
 * @param sinks each sink: its {@code type} and its settings, as strings
 */
public record MetricsConfig(int intervalSeconds, int progressSeconds, int maxGroups, String report, List<Map<String, String>> sinks) {
  public static final int DEFAULT_INTERVAL_SECONDS = 30;
  public static final int DEFAULT_PROGRESS_SECONDS = 5;
  public static final int DEFAULT_MAX_GROUPS = 100;

  public MetricsConfig {
    sinks = sinks == null ? List.of() : sinks.stream().map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m))).toList();
  }

  /** Defaults: every 30 s, progress every 5 s, 100 groups, default report, a log sink. */
  public static MetricsConfig defaults() {
    return new MetricsConfig(DEFAULT_INTERVAL_SECONDS, DEFAULT_PROGRESS_SECONDS, DEFAULT_MAX_GROUPS, null, List.of(Map.of("type", "log")));
  }
}
