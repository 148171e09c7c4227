package io.ddp.spark.cli;

import io.ddp.core.text.Suggestions;
import io.ddp.spark.exec.DriverFiles;
import io.ddp.metrics.JsonlSink;
import io.ddp.metrics.MetricSink;
import io.ddp.metrics.MetricSinkFactory;
import io.ddp.metrics.MetricsPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Turns sink settings (from metricsConfig or --metrics-sink) into sinks. */
final class MetricsWiring {
  private MetricsWiring() {}

  /** {@code TYPE[:KEY=VALUE,KEY=VALUE]} strings as sink settings. */
  static List<Map<String, String>> parse(List<String> specs) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String spec : specs) {
      Map<String, String> settings = new LinkedHashMap<>();
      int colon = spec.indexOf(':');
      settings.put("type", colon < 0 ? spec : spec.substring(0, colon));
      if (colon >= 0) {
        for (String kv : spec.substring(colon + 1).split(",")) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--metrics-sink " + spec + ": write settings as KEY=VALUE, e.g. jsonl:path=metrics.jsonl");
          }
          settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      out.add(settings);
    }
    return out;
  }

  /**
   * The sinks for these settings.
   *
   * @throws IllegalArgumentException for an unknown type (with did-you-mean) or invalid settings
   */
  static List<MetricSink> sinks(List<Map<String, String>> settings, Configuration hadoop) {
    Map<String, MetricSinkFactory> factories = MetricsPublisher.factories(Thread.currentThread().getContextClassLoader());
    List<MetricSink> out = new ArrayList<>();
    for (Map<String, String> s : settings) {
      String type = s.get("type");
      MetricSinkFactory f = factories.get(type);
      if (f == null) {
        throw new IllegalArgumentException("unknown metrics sink type '" + type + "'" + Suggestions.didYouMean(type, factories.keySet())
            + "; use one of " + new java.util.TreeSet<>(factories.keySet()));
      }
      String path = s.get("path");
      if (f instanceof JsonlSink.Factory && path != null && !path.isBlank()) {
        // The runner decides what is local as it does for every file it writes (paths, file:, local://);
        // the rest (s3a://, hdfs://) is written through Hadoop.
        java.util.Optional<java.nio.file.Path> local = DriverFiles.localPath(path);
        out.add(local.isPresent() ? new JsonlSink(local.get()) : new JsonlSink(path, DriverFiles.hadoopLines(path, hadoop)));
        continue;
      }
      try {
        out.add(f.create(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("metrics sink '" + type + "': " + e.getMessage(), e);
      }
    }
    return out;
  }
}
