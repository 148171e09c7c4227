package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A write's record inside the location it committed: {@code .ddp-commit-TAG}, hidden from readers
 * (Spark skips names starting with '.'), listing the files the write added, relative to the
 * location. It is committed with the data (renamed in with it, or moved in last by an append), so
 * it exists exactly when the write was committed, whatever happened to the process afterwards.
 */
public final class CommitMarkers {
  static final String PREFIX = ".ddp-commit-";

  private CommitMarkers() {}

  static boolean isMarker(String relative) {
    return relative.startsWith(PREFIX) && !relative.contains("/");
  }

  static void write(FileSystem fs, Path dir, String tag, List<String> files) throws IOException {
    try (FSDataOutputStream out = fs.create(new Path(dir, PREFIX + safe(tag)), false)) {
      out.write((String.join("\n", files) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The files a write tagged {@code tag} added to the dataset's location, if that write was
   * committed there; empty if there is no such marker (not committed, or written without a tag).
   */
  public static Optional<List<String>> committed(DataDeclare data, Configuration conf, String tag) throws IOException {
    Path location = new Path(data.location());
    FileSystem fs = location.getFileSystem(conf);
    Path marker = new Path(location, PREFIX + safe(tag));
    if (!fs.exists(marker)) {
      return Optional.empty();
    }
    List<String> files = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(marker), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          files.add(line);
        }
      }
    }
    return Optional.of(files);
  }

  private static String safe(String tag) {
    return tag.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
