package io.ddp.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Appends one JSON object per datum to a file ({@code type: jsonl, path: FILE}):
 * {@code {"name":"rows","value":320.0,"unit":"Count","timestamp":"...","dimensions":{...}}}.
 */
public final class JsonlSink implements MetricSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path path;

  public JsonlSink(Path path) {
    this.path = path;
  }

  @Override
  public String name() {
    return "jsonl " + path;
  }

  @Override
  public synchronized void publish(List<MetricDatum> batch) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (MetricDatum d : batch) {
      sb.append(JSON.writeValueAsString(d.toJson())).append('\n');
    }
    if (path.toAbsolutePath().getParent() != null) {
      Files.createDirectories(path.toAbsolutePath().getParent());
    }
    Files.writeString(path, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Makes {@link JsonlSink}s; setting {@code path} is required. */
  public static final class Factory implements MetricSinkFactory {
    @Override
    public String type() {
      return "jsonl";
    }

    @Override
    public MetricSink create(Map<String, String> settings) {
      String path = settings.get("path");
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("a jsonl metrics sink needs \"path\": the file to append to");
      }
      return new JsonlSink(Path.of(path));
    }
  }
}
