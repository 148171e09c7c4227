package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a location: {@code .NAME.ddp-lock}, created only if absent, holding who writes
 * (process, host, dataset, since when). A second writer fails fast naming the first. A lock whose
 * process is gone (same host) or that has not been refreshed for {@link #STALE_AFTER} (the holder
 * refreshes it every {@link #HEARTBEAT}) is stale and taken over, with a warning.
 *
 * <p>Creating a file only if absent is atomic on local disks and HDFS. S3 has no such operation
 * through s3a, so there two writers that start within the same moment can both take the lock; the
 * docs say so.
 */
final class LocationLock implements AutoCloseable {
  static final String SUFFIX = ".ddp-lock";
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final Duration STALE_AFTER = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(LocationLock.class);
  private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ddp-lock-heartbeat");
    t.setDaemon(true);
    return t;
  });

  private final FileSystem fs;
  private final Path file;
  private final String token;
  private final ScheduledFuture<?> heartbeat;

  private LocationLock(FileSystem fs, Path file, String token, String content) {
    this.fs = fs;
    this.file = file;
    this.token = token;
    long every = HEARTBEAT.toMillis();
    this.heartbeat = HEARTBEATS.scheduleAtFixedRate(() -> refresh(content), every, every, TimeUnit.MILLISECONDS);
  }

  static LocationLock acquire(FileSystem fs, Path target, String dataId) throws IOException {
    Path file = AtomicCommit.sibling(target, SUFFIX);
    fs.mkdirs(target.getParent());
    String token = UUID.randomUUID().toString();
    String content = "token=" + token + "\npid=" + ProcessHandle.current().pid() + "\nhost=" + host() + "\ndataset=" + dataId
        + "\nsince=" + Instant.now() + "\n";
    for (int attempt = 0; attempt < 3; attempt++) {
      if (createIfAbsent(fs, file, content)) {
        return new LocationLock(fs, file, token, content);
      }
      Properties holder = read(fs, file);
      if (holder == null) {
        continue;  // released meanwhile
      }
      String stale = staleness(fs, file, holder);
      if (stale == null) {
        throw new DdpException("Cannot write dataset '" + dataId + "': " + target + " is being written by another run (dataset '"
            + holder.getProperty("dataset") + "', process " + holder.getProperty("pid") + " on " + holder.getProperty("host")
            + " since " + holder.getProperty("since") + "). Wait until it ends; if that run is gone, delete its lock " + file);
      }
      LOG.warn("dataset '{}': taking over the lock {} of process {} on {} ({})", dataId, file, holder.getProperty("pid"),
          holder.getProperty("host"), stale);
      fs.delete(file, false);
    }
    throw new DdpException("Cannot write dataset '" + dataId + "': could not take the lock " + file + " in 3 attempts");
  }

  /** Why the holder is gone, or null while it may still be writing. */
  private static String staleness(FileSystem fs, Path file, Properties holder) throws IOException {
    if (host().equals(holder.getProperty("host"))) {
      try {
        long pid = Long.parseLong(holder.getProperty("pid", ""));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          return null;
        }
        return "that process has ended";
      } catch (NumberFormatException e) {
        return "the lock names no process";
      }
    }
    FileStatus status = fs.getFileStatus(file);
    Duration age = Duration.ofMillis(System.currentTimeMillis() - status.getModificationTime());
    return age.compareTo(STALE_AFTER) > 0 ? "not refreshed for " + age.toMinutes() + " minutes" : null;
  }

  private static boolean createIfAbsent(FileSystem fs, Path file, String content) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      // Hadoop's local create(overwrite=false) checks, then creates: not atomic between processes.
      try {
        Files.write(Paths.get(file.toUri()), content.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static Properties read(FileSystem fs, Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = fs.open(file)) {
      p.load(in);
      return p;
    } catch (java.io.FileNotFoundException gone) {
      return null;
    }
  }

  private void refresh(String content) {
    try {
      Properties now = read(fs, file);
      if (now != null && token.equals(now.getProperty("token"))) {
        try (FSDataOutputStream out = fs.create(file, true)) {
          out.write(content.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not refresh the lock {}: {}", file, e.toString());
    }
  }

  @Override
  public void close() {
    heartbeat.cancel(false);
    try {
      Properties now = read(fs, file);
      if (now != null && token.equals(now.getProperty("token"))) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      LOG.warn("could not release the lock {}: {}", file, e.toString());
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
