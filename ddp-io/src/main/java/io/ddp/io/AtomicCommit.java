package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a dataset next to its location first and moves it into place only once Spark has written
 * all of it, so that a failed or killed run leaves no partial dataset at the declared location and
 * an overwrite target keeps its previous content until the new one is complete.
 *
 * <p>Staging is a hidden sibling, {@code .NAME.ddp-staging-ID}, on the same file system, so the final
 * step is a rename (on object stores such as S3 a rename is a copy, done only after the job succeeded).
 * Overwrite renames the old content aside, renames the new content in, then deletes the old content;
 * if the second rename fails the old content is renamed back. Append moves the new files into the
 * existing directory after the job succeeded.
 */
final class AtomicCommit {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicCommit.class);

  interface Writer {
    void writeTo(String path) throws Exception;
  }

  private AtomicCommit() {}

  /** Writes through {@code writer} into staging and commits per the declared mode; false when mode ignore skipped it. */
  static boolean write(DataDeclare data, Configuration conf, Writer writer) {
    Path target = new Path(data.location());
    FileSystem fs;
    boolean exists;
    try {
      fs = target.getFileSystem(conf);
      exists = fs.exists(target);
    } catch (IOException e) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "': cannot reach " + data.location() + ": " + e.getMessage(), e);
    }
    switch (data.mode()) {
      case IGNORE:
        if (exists) {
          LOG.info("dataset '{}' exists at {} and its mode is ignore: not written", data.dataId(), data.location());
          return false;
        }
        break;
      case ERROR_IF_EXISTS:
        if (exists) {
          throw new DdpException("Cannot write dataset '" + data.dataId() + "': " + data.location()
              + " already exists and its mode is errorIfExists; declare \"mode\": \"overwrite\" or \"append\", or remove it");
        }
        break;
      default:
        break;
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path staging = sibling(target, ".ddp-staging-" + id);
    try {
      writer.writeTo(staging.toString());
    } catch (Exception e) {
      deleteQuietly(fs, staging);
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new DdpException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
    try {
      commit(data, fs, target, staging, id);
    } catch (IOException e) {
      deleteQuietly(fs, staging);
      throw new DdpException("Cannot commit dataset '" + data.dataId() + "' to " + data.location() + ": " + e.getMessage(), e);
    }
    return true;
  }

  private static void commit(DataDeclare data, FileSystem fs, Path target, Path staging, String id) throws IOException {
    if (target.getParent() != null) {
      fs.mkdirs(target.getParent());
    }
    boolean exists = fs.exists(target);
    switch (data.mode()) {
      case OVERWRITE:
        if (exists) {
          Path previous = sibling(target, ".ddp-previous-" + id);
          rename(fs, target, previous);
          try {
            rename(fs, staging, target);
          } catch (IOException e) {
            // Put the previous content back: the declared location must never be left half-done.
            fs.rename(previous, target);
            throw e;
          }
          deleteQuietly(fs, previous);
        } else {
          rename(fs, staging, target);
        }
        return;
      case APPEND:
        if (!exists) {
          rename(fs, staging, target);
        } else {
          moveFiles(fs, staging, target);
          deleteQuietly(fs, staging);
        }
        return;
      default:
        if (exists) {
          throw new IOException(target + " was created by someone else while this run wrote it; nothing was committed");
        }
        rename(fs, staging, target);
    }
  }

  private static void moveFiles(FileSystem fs, Path from, Path to) throws IOException {
    String root = from.toUri().getPath();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(from, true);
    while (files.hasNext()) {
      FileStatus f = files.next();
      String relative = f.getPath().toUri().getPath().substring(root.length() + 1);
      if (relative.equals("_SUCCESS")) {
        continue;
      }
      Path dest = new Path(to, relative);
      fs.mkdirs(dest.getParent());
      rename(fs, f.getPath(), dest);
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  private static Path sibling(Path target, String suffix) {
    return new Path(target.getParent(), "." + target.getName() + suffix);
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", path, e.toString());
    }
  }
}
