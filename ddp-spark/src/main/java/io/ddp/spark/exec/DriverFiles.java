package io.ddp.spark.exec;

import io.ddp.metrics.LineStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;

/**
 * The files the driver itself writes (run state for {@code --resume}, the run report, jsonl metrics,
 * the live picture), wherever the user puts them: a local path, or a URI that Hadoop writes
 * ({@code s3a://bucket/ddp/state}, {@code hdfs:///ddp/reports/p.json}, {@code file:///...}). On YARN
 * or Kubernetes in cluster mode the driver's working directory vanishes with its container, so these
 * go to a shared file system there.
 *
 * <p>A whole-file write never leaves a reader with half a file: a local file or one on a file system
 * with atomic rename (HDFS) is written to a temporary sibling and renamed over the old one; an object
 * store ({@code s3a}, {@code gs}, {@code abfs}...) makes an object visible whole when it is closed,
 * so it is written in place.
 */
public final class DriverFiles {
  /** A scheme of two letters or more: {@code C:\p.json} stays a local path. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
  /** File systems whose objects appear whole on close and whose rename is a copy. */
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "obs");

  private DriverFiles() {}

  /**
   * The local file a location names, if it is one: a path, a {@code file:} URI, or Kubernetes'
   * {@code local://} (a file inside the image); empty for anything Hadoop must open.
   */
  public static Optional<Path> localPath(String location) {
    if (location.startsWith("local://")) {
      return Optional.of(Path.of(location.substring("local://".length())));
    }
    if (location.startsWith("file:")) {
      return Optional.of(Path.of(URI.create(location.startsWith("file://") ? location
          : "file://" + location.substring("file:".length()))));
    }
    if (SCHEME.matcher(location).find()) {
      return Optional.empty();
    }
    return Optional.of(Path.of(location));
  }

  /** {@code name} inside the directory {@code dir} (a path or a URI). */
  public static String resolve(String dir, String name) {
    Optional<Path> local = localPath(dir);
    if (local.isPresent() && !dir.startsWith("file:") && !dir.startsWith("local:")) {
      return local.get().resolve(name).toString();
    }
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /** The file's text, or empty when there is no such file. */
  public static Optional<String> read(String location, Configuration conf) throws IOException {
    Optional<Path> local = localPath(location);
    if (local.isPresent()) {
      return Files.exists(local.get()) ? Optional.of(Files.readString(local.get(), StandardCharsets.UTF_8)) : Optional.empty();
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    FileSystem fs = path.getFileSystem(conf);
    try (InputStream in = fs.open(path)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Replaces the file's content with {@code text} so that a reader sees the old or the new file whole. */
  public static void write(String location, String text, Configuration conf) throws IOException {
    write(location, text.getBytes(StandardCharsets.UTF_8), conf);
  }

  /** Replaces the file's content with {@code bytes} so that a reader sees the old or the new file whole. */
  public static void write(String location, byte[] bytes, Configuration conf) throws IOException {
    Optional<Path> local = localPath(location);
    if (local.isPresent()) {
      Path file = local.get().toAbsolutePath();
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return;
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    FileSystem fs = path.getFileSystem(conf);
    if (OBJECT_STORES.contains(fs.getScheme())) {
      try (OutputStream out = fs.create(path, true)) {
        out.write(bytes);
      }
      return;
    }
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(path.getParent(), path.getName() + ".tmp");
    FileContext fc = FileContext.getFileContext(path.toUri(), conf);
    try (FSDataOutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
        Options.CreateOpts.createParent())) {
      out.write(bytes);
    }
    fc.rename(tmp, path, Options.Rename.OVERWRITE);
  }

  /**
   * Lines appended to a file that Hadoop writes ({@code s3a://...}, {@code hdfs://...}). A file system
   * that appends (HDFS) is appended to; an object store cannot append, so its file is written again
   * whole on every append with what it held when the store was opened plus every line appended since
   * (kept in memory: a jsonl metrics file of a day-long run at the default interval is a few megabytes).
   * Local files are {@link io.ddp.metrics.JsonlSink}'s own business.
   */
  public static LineStore hadoopLines(String location, Configuration conf) {
    return new HadoopLines(location, conf);
  }

  /** Lines on a Hadoop file system: appended where it can, else the file rewritten whole. */
  private static final class HadoopLines implements LineStore {
    private final String location;
    private final Configuration conf;
    private StringBuilder content;
    private Boolean appends;

    HadoopLines(String location, Configuration conf) {
      this.location = location;
      this.conf = conf;
    }

    @Override
    public synchronized void append(String text) throws IOException {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
      FileSystem fs = path.getFileSystem(conf);
      if (appends == null) {
        appends = !OBJECT_STORES.contains(fs.getScheme()) && fs.hasPathCapability(path, CommonPathCapabilities.FS_APPEND);
      }
      if (appends) {
        try (FSDataOutputStream out = fs.exists(path) ? fs.append(path) : fs.create(path, false)) {
          out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return;
      }
      if (content == null) {
        content = new StringBuilder(read(location, conf).orElse(""));
      }
      int before = content.length();
      content.append(text);
      try {
        write(location, content.toString(), conf);
      } catch (IOException | RuntimeException e) {
        content.setLength(before); // the caller may send these lines again
        throw e;
      }
    }
  }
}
