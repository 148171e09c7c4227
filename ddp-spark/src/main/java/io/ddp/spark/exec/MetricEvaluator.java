package io.ddp.spark.exec;

import io.ddp.core.model.MetricDeclare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Evaluates declared metrics with Spark. Ungrouped metrics (and the row count) ride on the action
 * that computes the dataset through {@link Dataset#observe}: no extra pass. A grouped metric is one
 * aggregation ({@code GROUP BY}) keeping the {@code maxGroups} largest values, run on the dataset once
 * it is kept in memory (DDP counts it as a consumer, so the dataset is computed once).
 */
final class MetricEvaluator {
  /** Name of the row count in every observation. */
  public static final String ROWS = "ddp_rows";

  private MetricEvaluator() {}

  /**
   * The dataset with the row count and the ungrouped metrics attached to its next action.
   *
   * @param name unique observation name
   */
  public static Observed observe(Dataset<Row> rows, List<MetricDeclare> ungrouped, String name) {
    Observation observation = new Observation(name);
    List<Column> exprs = new ArrayList<>();
    exprs.add(functions.count(functions.lit(1)).as(ROWS));
    for (int i = 0; i < ungrouped.size(); i++) {
      exprs.add(functions.expr(ungrouped.get(i).expression()).as("m" + i));
    }
    Dataset<Row> observed = rows.observe(observation, exprs.get(0), exprs.subList(1, exprs.size()).toArray(new Column[0]));
    return new Observed(observed, observation, List.copyOf(ungrouped));
  }

  /**
   * A dataset with metrics attached, and how to read them once an action ran.
   *
   * @param rows the dataset to compute
   * @param observation filled when the action ends
   * @param metrics the ungrouped metrics, in observation order
   */
  public record Observed(Dataset<Row> rows, Observation observation, List<MetricDeclare> metrics) {
    /** Row count and each metric's value; empty when no action completed within the wait. */
    public Map<String, Double> values(long waitSeconds) {
      Row row;
      try {
        row = scala.concurrent.Await.result(observation.future(),
            scala.concurrent.duration.Duration.create(waitSeconds, TimeUnit.SECONDS));
      } catch (Exception e) {
        return Map.of();
      }
      Map<String, Double> out = new LinkedHashMap<>();
      out.put(ROWS, number(row.get(0)));
      for (int i = 0; i < metrics.size(); i++) {
        out.put(metrics.get(i).metricId(), number(row.get(i + 1)));
      }
      return out;
    }
  }

  /**
   * One value of a grouped metric.
   *
   * @param groups the groupBy column values, by column
   * @param value the metric's value for that group
   */
  public record GroupValue(Map<String, String> groups, double value) {}

  /** The grouped metric's values, the {@code maxGroups} largest first. */
  public static List<GroupValue> grouped(Dataset<Row> rows, MetricDeclare metric, int maxGroups) {
    Column[] keys = metric.groupBy().stream().map(functions::col).toArray(Column[]::new);
    List<Row> result = rows.groupBy(keys).agg(functions.expr(metric.expression()).as("ddp_value"))
        .orderBy(functions.col("ddp_value").desc_nulls_last()).limit(maxGroups).collectAsList();
    List<GroupValue> out = new ArrayList<>();
    for (Row r : result) {
      Map<String, String> groups = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        groups.put(metric.groupBy().get(i), r.isNullAt(i) ? "null" : String.valueOf(r.get(i)));
      }
      out.add(new GroupValue(groups, number(r.get(keys.length))));
    }
    return out;
  }

  static double number(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? 1 : 0;
    }
    return Double.NaN;
  }
}
