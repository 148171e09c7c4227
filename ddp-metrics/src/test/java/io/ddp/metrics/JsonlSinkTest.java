package io.ddp.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
  private static final MetricDatum DOCS = new MetricDatum("docs", 10, "Count", Instant.parse("2026-01-01T00:00:00Z"),
      Map.of("pipeline", "p"));

  @Test
  void pathsAndFileUrisAreLocalFilesAppendedTo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a b/m.jsonl");
    MetricSink byUri = new JsonlSink.Factory().create(Map.of("type", "jsonl", "path", file.toUri().toString()));
    byUri.publish(List.of(DOCS));
    new JsonlSink.Factory().create(Map.of("type", "jsonl", "path", file.toString())).publish(List.of(DOCS));
    assertThat(Files.readAllLines(file)).hasSize(2).allMatch(l -> l.startsWith("{\"name\":\"docs\",\"value\":10.0"));
    assertThat(JsonlSink.isLocal("metrics/m.jsonl")).isTrue();
    assertThat(JsonlSink.isLocal("C:\\metrics\\m.jsonl")).isTrue();
    assertThat(JsonlSink.isLocal("s3a://bucket/m.jsonl")).isFalse();
  }

  @Test
  void aHadoopPathNeedsAStoreFromTheRunner() throws Exception {
    assertThatThrownBy(() -> new JsonlSink.Factory().create(Map.of("type", "jsonl", "path", "s3a://bucket/m.jsonl")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3a://bucket/m.jsonl is not a local file")
        .hasMessageContaining("ddp runner");
    List<String> written = new ArrayList<>();
    JsonlSink sink = new JsonlSink("s3a://bucket/m.jsonl", written::add);
    sink.publish(List.of(DOCS, DOCS));
    assertThat(sink.name()).isEqualTo("jsonl s3a://bucket/m.jsonl");
    assertThat(written).singleElement().satisfies(t -> assertThat(t.lines()).hasSize(2));
  }
}
