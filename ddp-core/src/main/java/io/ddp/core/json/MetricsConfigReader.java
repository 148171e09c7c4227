package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.core.model.MetricsConfig;
import io.ddp.core.validate.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code "metricsConfig"}: intervals, group limits, the report file and the sinks. */
final class MetricsConfigReader {
  static final List<String> KEYS = List.of("intervalSeconds", "progressSeconds", "maxGroups", "report", "sinks");

  private final Problems problems;

  MetricsConfigReader(Problems problems) {
    this.problems = problems;
  }

  MetricsConfig read(JsonNode node, String pointer) {
    Fields f = Fields.of(node, pointer, "metricsConfig", "metricsConfig", KEYS, problems);
    if (f == null) {
      return null;
    }
    int interval = positive(f, "intervalSeconds", MetricsConfig.DEFAULT_INTERVAL_SECONDS, 1);
    int progress = positive(f, "progressSeconds", MetricsConfig.DEFAULT_PROGRESS_SECONDS, 0);
    int maxGroups = positive(f, "maxGroups", MetricsConfig.DEFAULT_MAX_GROUPS, 1);
    String report = f.text("report");
    List<Map<String, String>> sinks = MetricsConfig.defaults().sinks();
    JsonNode s = f.raw("sinks");
    if (s != null && !s.isNull()) {
      if (!s.isArray()) {
        problems.error(f.pointer("sinks"), "metricsConfig", "\"sinks\" must be a list of objects like {\"type\": \"log\"}");
      } else {
        sinks = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
          String p = f.pointer("sinks") + "/" + i;
          JsonNode item = s.get(i);
          if (!item.isObject() || !item.path("type").isTextual()) {
            problems.error(p, "metricsConfig", "a sink is an object with a \"type\" (log, jsonl, cloudwatch, or a registered one)");
            continue;
          }
          Map<String, String> settings = new LinkedHashMap<>();
          item.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
              settings.put(e.getKey(), e.getValue().asText());
            } else {
              problems.error(Fields.child(p, e.getKey()), "metricsConfig", "sink setting \"" + e.getKey() + "\" must be a string, number or boolean");
            }
          });
          sinks.add(settings);
        }
      }
    }
    return new MetricsConfig(interval, progress, maxGroups, report, sinks);
  }

  private int positive(Fields f, String key, int fallback, int min) {
    JsonNode v = f.raw(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    String text = v.asText();
    // At most 5 digits before parsing: "99999999999999999999" is out of range, not a crash.
    if (!(v.isInt() || (v.isTextual() && text.matches("[0-9]{1,5}"))) || Long.parseLong(text) < min || Long.parseLong(text) > 86_400) {
      problems.error(f.pointer(key), "metricsConfig", "\"" + key + "\" must be a whole number from " + min + " to 86400, not " + Fields.describe(v));
      return fallback;
    }
    return Integer.parseInt(text);
  }
}
