package io.ddp.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /**
   * This datum as JSON, the one shape used by the jsonl sink and the run report:
   * {@code {"name":"rows","value":320.0,"unit":"Count","timestamp":"...","dimensions":{...}}}.
   */
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("name", name);
    n.put("value", value);
    n.put("unit", unit);
    n.put("timestamp", timestamp.toString());
    ObjectNode dims = n.putObject("dimensions");
    dimensions.forEach(dims::put);
    return n;
  }
}
