package io.ddp.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.metrics.MetricDatum;
import io.ddp.metrics.MetricSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWiringTest {
  @TempDir
  Path dir;

  /** A jsonl sink is local for the same locations as every other file the runner writes. */
  @Test
  void jsonlSinksOnLocalPathsFileUrisAndLocalUrisWriteTheLocalFile() throws Exception {
    Path plain = dir.resolve("a/plain.jsonl");
    Path file = dir.resolve("b/file.jsonl");
    Path local = dir.resolve("c/local.jsonl");
    List<MetricSink> sinks = MetricsWiring.sinks(List.of(
        Map.of("type", "jsonl", "path", plain.toString()),
        Map.of("type", "jsonl", "path", file.toUri().toString()),
        Map.of("type", "jsonl", "path", "local://" + local)), new Configuration());
    MetricDatum datum = new MetricDatum("rows", 3, "Count", Instant.parse("2026-12-04T00:00:00Z"), Map.of("pipe", "#1"));
    for (MetricSink s : sinks) {
      s.publish(List.of(datum));
    }
    for (Path p : List.of(plain, file, local)) {
      assertThat(Files.readAllLines(p)).as(p.toString()).singleElement().asString().contains("\"name\":\"rows\"").contains("\"value\":3.0");
    }
  }
}
