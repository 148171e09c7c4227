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
 * The file is local, or anywhere a {@link LineStore} writes (the {@code ddp} runner gives one for
 * {@code s3a://}, {@code hdfs://} and other Hadoop paths).
 */
public final class JsonlSink implements MetricSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A URI scheme of two letters or more ({@code C:\m.jsonl} stays a local path). */
  private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
  private final String location;
  private final LineStore store;

  /** Appends to a local file. */
  public JsonlSink(Path path) {
    this(path.toString(), localFile(path));
  }

  /** Appends to {@code store}, named {@code location} in messages. */
  public JsonlSink(String location, LineStore store) {
    this.location = location;
    this.store = store;
  }

  /** Whether a {@code path} setting names a local file (a path or a {@code file:} URI), not one Hadoop must write. */
  public static boolean isLocal(String path) {
    return path.startsWith("file:") || !SCHEME.matcher(path).find();
  }

  private static LineStore localFile(Path path) {
    return text -> {
      if (path.toAbsolutePath().getParent() != null) {
        Files.createDirectories(path.toAbsolutePath().getParent());
      }
      Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    };
  }

  @Override
  public String name() {
    return "jsonl " + location;
  }

  @Override
  public synchronized void publish(List<MetricDatum> batch) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (MetricDatum d : batch) {
      sb.append(JSON.writeValueAsString(d.toJson())).append('\n');
    }
    store.append(sb.toString());
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
      if (!isLocal(path)) {
        throw new IllegalArgumentException("path " + path + " is not a local file: run through the ddp runner (which writes"
            + " s3a://, hdfs:// and other Hadoop paths), or give new JsonlSink(location, store) a LineStore for it");
      }
      return new JsonlSink(path.startsWith("file:") ? Path.of(java.net.URI.create(path.startsWith("file://") ? path
          : "file://" + path.substring("file:".length()))) : Path.of(path));
    }
  }
}
