package io.ddp.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metric computed on a dataset when it is produced or written.
 *
 * <pre>{@code
 * {"metricId": "docsPerLanguage", "dataId": "Documents", "expression": "count(1)",
 *  "groupBy": ["lang"], "unit": "Count"}
 * }</pre>
 *
 * @param metricId unique id: letters, digits and {@code _}, starting with a letter
 * @param dataId the dataset the metric is computed on
 * @param expression a Spark SQL aggregate expression, e.g. {@code count(1)} or {@code avg(score)}
 * @param groupBy columns whose values split the metric into one datum per group; empty for one datum
 * @param unit a CloudWatch unit name ({@code Count}, {@code Seconds}, ...); {@code None} when not declared
 * @param dimensions extra constant dimensions published with every datum
 */
public record MetricDeclare(
    String metricId, String dataId, String expression, List<String> groupBy, String unit, Map<String, String> dimensions) {

  /** Units accepted by CloudWatch {@code PutMetricData}. */
  public static final List<String> UNITS = List.of(
      "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
      "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
      "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

  public MetricDeclare {
    Objects.requireNonNull(metricId, "Cannot declare a metric: metricId is null");
    Objects.requireNonNull(dataId, () -> "Cannot declare metric " + metricId + ": dataId is null");
    Objects.requireNonNull(expression, () -> "Cannot declare metric " + metricId + ": expression is null");
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    unit = unit == null ? "None" : unit;
    dimensions = dimensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
  }

  private static final java.util.regex.Pattern DISTINCT = java.util.regex.Pattern.compile("(?i)\\bdistinct\\b|\\bfilter\\s*\\(\\s*where\\b");

  /**
   * Whether the metric needs an aggregation of its own over the dataset rather than riding on the
   * action that computes it: grouped metrics, and aggregates with {@code DISTINCT} (such as
   * {@code count(DISTINCT entity_id)}) or {@code FILTER (WHERE ...)}, which Spark's observed
   * metrics do not accept.
   */
  public boolean aggregatedSeparately() {
    return !groupBy.isEmpty() || DISTINCT.matcher(expression).find();
  }

  public MetricDeclare(String metricId, String dataId, String expression) {
    this(metricId, dataId, expression, List.of(), null, Map.of());
  }
}
