package io.ddp.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One value of one metric at one time, with the dimensions that say what it measures.
 *
 * @param name the metric's name, e.g. a declared {@code metricId} or {@code pipe.durationSeconds}
 * @param value the value
 * @param unit a CloudWatch unit name ({@code Count}, {@code Seconds}, {@code None}...)
 * @param timestamp when it was measured
 * @param dimensions pipeline, pipe, dataset, metric, groupBy values and declared dimensions
 */
public record MetricDatum(String name, double value, String unit, Instant timestamp, Map<String, String> dimensions) {
  public MetricDatum {
    Objects.requireNonNull(name, "MetricDatum name");
    unit = unit == null ? "None" : unit;
    timestamp = timestamp == null ? Instant.now() : timestamp;
    dimensions = dimensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
  }
}
