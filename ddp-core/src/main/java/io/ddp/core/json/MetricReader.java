package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads one element of {@code "metrics"} into a {@link MetricDeclare}; owns the metric keys. */
final class MetricReader {
  static final List<String> KEYS = List.of("metricId", "dataId", "expression", "groupBy", "unit", "dimensions");

  private final Problems problems;

  MetricReader(Problems problems) {
    this.problems = problems;
  }

  MetricDeclare read(JsonNode node, String pointer, int index) {
    String id = node != null && node.path("metricId").isTextual() ? node.get("metricId").asText() : null;
    String subject = id != null ? "metric '" + id + "'" : "metrics[" + index + "]";
    Fields f = Fields.of(node, pointer, subject, "a metric declaration", KEYS, problems);
    if (f == null) {
      return null;
    }
    String metricId = f.requiredText("metricId", "give every metric an id, e.g. \"metricId\": \"rowCount\"");
    String dataId = f.requiredText("dataId", "name the dataset the metric is computed on");
    String expression = f.requiredText("expression", "give a Spark SQL aggregate, e.g. \"count(1)\"");
    List<String> groupBy = f.textList("groupBy");
    String unit = f.text("unit");
    if (unit != null && !MetricDeclare.UNITS.contains(unit)) {
      Optional<String> sameIgnoringCase = MetricDeclare.UNITS.stream().filter(u -> u.equalsIgnoreCase(unit)).findFirst();
      problems.error(f.pointer("unit"), subject, "unknown unit \"" + unit + "\""
          + sameIgnoringCase.map(u -> " (did you mean '" + u + "'?)").orElse(Suggestions.didYouMean(unit, MetricDeclare.UNITS))
          + "; use a CloudWatch unit: " + String.join(", ", MetricDeclare.UNITS));
    }
    Map<String, String> dimensions = f.textMap("dimensions");
    if (metricId == null || dataId == null || expression == null) {
      return null;
    }
    return new MetricDeclare(metricId, dataId, expression, groupBy, unit, dimensions);
  }
}
