package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a dataset next to its location first and moves it into place only once Spark has written
 * all of it, so that a failed or killed run leaves no partial dataset at the declared location and
 * an overwrite target keeps its previous content until the new one is complete.
 *
 * <p>Everything lives in hidden siblings of the location {@code NAME}, on the same file system, which
 * readers of the parent directory skip: {@code .NAME.ddp-staging-ID} (the new content),
 * {@code .NAME.ddp-previous-ID} (an overwrite's old content, moved aside), {@code .NAME.ddp-commit-ID}
 * (the journal of a commit in progress) and {@code .NAME.ddp-lock} (held by the writer; see
 * {@link LocationLock}).
 *
 * <p>The journal is written before each step that changes the location, so a commit that fails or is
 * killed part-way is undone: by this writer when it can, else by the next writer of the location
 * before it does anything else. Overwrite: old content aside, new content in, old content deleted;
 * undone, the old content is back whole. Append: the new files are moved in one by one (a rename of a
 * directory cannot add to an existing one); undone, every file of the append is removed again, so an
 * append commits all of its files or none.
 */
final class AtomicCommit {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicCommit.class);
  private static final String STAGING = ".ddp-staging-";
  private static final String PREVIOUS = ".ddp-previous-";

  interface Writer {
    void writeTo(String path) throws Exception;
  }

  private AtomicCommit() {}

  /** Writes through {@code writer} into staging and commits per the declared mode; false when mode ignore skipped it. */
  static boolean write(DataDeclare data, Configuration conf, Writer writer) {
    return write(data, conf, writer, null);
  }

  /**
   * As {@link #write(DataDeclare, Configuration, Writer)}, also committing a marker of this write
   * ({@link CommitMarkers}) when {@code commitTag} is not null.
   */
  static boolean write(DataDeclare data, Configuration conf, Writer writer, String commitTag) {
    FileSystem fs;
    Path target;
    try {
      Path declared = new Path(data.location());
      fs = declared.getFileSystem(conf);
      // Qualified, so that paths listed by the file system and paths built here compare equal
      // (a relative location such as "out/data" resolves against the working directory).
      target = fs.makeQualified(declared);
    } catch (IOException | IllegalArgumentException e) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "': cannot reach " + data.location() + ": " + e.getMessage(), e);
    }
    if (target.getParent() == null) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "' to " + data.location()
          + ": a file system root cannot be replaced atomically; declare a directory below it");
    }
    try (LocationLock lock = LocationLock.acquire(fs, target, data.dataId())) {
      recover(fs, target, data.dataId());
      return writeLocked(data, fs, target, writer, commitTag);
    } catch (IOException e) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "' to " + data.location() + ": " + e.getMessage(), e);
    }
  }

  private static boolean writeLocked(DataDeclare data, FileSystem fs, Path target, Writer writer, String commitTag)
      throws IOException {
    boolean exists = fs.exists(target);
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
    Path staging = sibling(target, STAGING + id);
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
      if (commitTag != null) {
        // In staging, so it lands with the data in the same commit (and an append moves it last).
        CommitMarkers.write(fs, staging, commitTag, relativeFiles(fs, staging, false));
      }
      fs.mkdirs(target.getParent());
      commit(data, fs, target, staging, id);
    } finally {
      deleteQuietly(fs, staging);
    }
    return true;
  }

  private static void commit(DataDeclare data, FileSystem fs, Path target, Path staging, String id) throws IOException {
    boolean exists = fs.exists(target);
    CommitJournal journal = new CommitJournal(fs, sibling(target, CommitJournal.SUFFIX + id));
    switch (data.mode()) {
      case OVERWRITE:
        if (exists) {
          overwrite(fs, target, staging, sibling(target, PREVIOUS + id), journal, data.dataId());
        } else {
          renameInto(fs, staging, target);
        }
        return;
      case APPEND:
        if (exists) {
          append(fs, target, staging, journal, data.dataId());
        } else {
          renameInto(fs, staging, target);
        }
        return;
      default:
        if (exists) {
          throw new IOException(target + " was created by someone else while this run wrote it; nothing was committed");
        }
        renameInto(fs, staging, target);
    }
  }

  private static void overwrite(FileSystem fs, Path target, Path staging, Path previous, CommitJournal journal, String dataId)
      throws IOException {
    List<String> old = relativeFiles(fs, target, true);
    List<String> added = relativeFiles(fs, staging, true);
    journal.write(CommitJournal.Entry.overwrite(CommitJournal.Phase.ASIDE, previous, old, added));
    try {
      renameInto(fs, target, previous);
    } catch (IOException e) {
      // On object stores a directory rename is a copy and a delete: part of the old content may
      // already be aside. Put it back before reporting.
      undoOrExplain(fs, target, journal, dataId, e);
      throw e;
    }
    journal.write(CommitJournal.Entry.overwrite(CommitJournal.Phase.SWAP, previous, old, added));
    try {
      renameInto(fs, staging, target);
    } catch (IOException e) {
      undoOrExplain(fs, target, journal, dataId, e);
      throw e;
    }
    journal.write(CommitJournal.Entry.overwrite(CommitJournal.Phase.DONE, previous, List.of(), List.of()));
    finish(fs, journal.read(), journal);
  }

  private static void append(FileSystem fs, Path target, Path staging, CommitJournal journal, String dataId) throws IOException {
    List<String> files = new ArrayList<>(relativeFiles(fs, staging, false));
    // The commit marker, if any, moves last: once it is at the location, the append is complete.
    files.sort(java.util.Comparator.comparing(CommitMarkers::isMarker));
    journal.write(CommitJournal.Entry.append(files));
    try {
      for (String relative : files) {
        Path dest = new Path(target, relative);
        if (fs.exists(dest)) {
          throw new IOException("cannot append " + relative + ": " + dest + " exists already");
        }
        fs.mkdirs(dest.getParent());
        renameInto(fs, new Path(staging, relative), dest);
      }
    } catch (IOException e) {
      undoOrExplain(fs, target, journal, dataId, e);
      throw e;
    }
    journal.delete();
  }

  /** Undoes the journal's commit now; if even that fails, says what the next writer will do. */
  private static void undoOrExplain(FileSystem fs, Path target, CommitJournal journal, String dataId, IOException cause) {
    try {
      undo(fs, target, journal.read(), journal);
    } catch (IOException undoFailed) {
      cause.addSuppressed(undoFailed);
      throw new DdpException("Cannot commit dataset '" + dataId + "' to " + target + ": " + cause.getMessage()
          + "; undoing the commit failed too (" + undoFailed.getMessage() + "). " + journal.recoveryHint(target), cause);
    }
  }

  /**
   * Finishes or undoes a commit that an earlier writer left in its journal (killed, or its undo
   * failed). Runs under the location's lock, before anything else.
   */
  static void recover(FileSystem fs, Path target, String dataId) throws IOException {
    for (CommitJournal journal : CommitJournal.find(fs, target)) {
      CommitJournal.Entry entry = journal.read();
      LOG.warn("dataset '{}': an earlier commit to {} did not finish ({}); {}", dataId, target, journal.path(),
          entry.phase() == CommitJournal.Phase.DONE ? "finishing it" : "undoing it");
      try {
        if (entry.phase() == CommitJournal.Phase.DONE) {
          finish(fs, entry, journal);
        } else {
          undo(fs, target, entry, journal);
        }
      } catch (IOException e) {
        throw new IOException("cannot recover the interrupted commit recorded in " + journal.path() + ": " + e.getMessage() + ". "
            + journal.recoveryHint(target), e);
      }
    }
    // Staging left by a killed writer holds nothing committed.
    for (FileStatus s : siblings(fs, target, STAGING)) {
      deleteQuietly(fs, s.getPath());
    }
  }

  private static void undo(FileSystem fs, Path target, CommitJournal.Entry entry, CommitJournal journal) throws IOException {
    switch (entry.phase()) {
      case ASIDE:
      case SWAP:
        // The old content may be anywhere between the location and the aside copy, and (SWAP) part
        // of the new content may be at the location: remove the new files, then move every old file
        // still aside back, its aside copy winning over one at the location. Each step can be
        // repeated, so a failed undo is finished by the next writer.
        if (fs.exists(entry.previous())) {
          if (!fs.exists(target)) {
            renameInto(fs, entry.previous(), target);
            break;
          }
          java.util.Set<String> old = new java.util.HashSet<>(entry.old());
          for (String relative : entry.added()) {
            if (!old.contains(relative)) {
              delete(fs, new Path(target, relative));
            }
          }
          for (String relative : entry.old()) {
            Path aside = new Path(entry.previous(), relative);
            if (fs.exists(aside)) {
              Path dest = new Path(target, relative);
              delete(fs, dest);
              fs.mkdirs(dest.getParent());
              renameInto(fs, aside, dest);
            }
          }
          delete(fs, entry.previous());
        }
        break;
      case APPEND:
        for (String relative : entry.added()) {
          delete(fs, new Path(target, relative));
        }
        break;
      default:
        throw new IllegalStateException("not an undo phase: " + entry.phase());
    }
    journal.delete();
  }

  private static void finish(FileSystem fs, CommitJournal.Entry entry, CommitJournal journal) throws IOException {
    delete(fs, entry.previous());
    journal.delete();
  }

  /**
   * The files under {@code root}, relative to it; Spark's {@code _SUCCESS} marker left out unless {@code all}.
   * Walks with {@code listStatus}, not {@code listFiles(root, true)}: the latter builds a
   * {@code LocatedFileStatus} per file, which copies its permissions, and on the local file system
   * without Hadoop's native library each of those forks an {@code ls} (about 35 ms a file: 6 s for
   * a dataset partitioned into 160 files).
   */
  private static List<String> relativeFiles(FileSystem fs, Path root, boolean all) throws IOException {
    String prefix = fs.makeQualified(root).toUri().getPath();
    List<String> out = new ArrayList<>();
    if (!"file".equals(fs.getUri().getScheme())) {
      // An object store lists every key under a prefix in one flat listing: no directories to walk,
      // so none that a committer's cleanup (or a leftover directory marker) can make vanish under us.
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(root, true);
      while (files.hasNext()) {
        add(out, prefix, root, fs.makeQualified(files.next().getPath()).toUri().getPath(), all);
      }
      out.sort(null);
      return out;
    }
    java.util.ArrayDeque<Path> dirs = new java.util.ArrayDeque<>();
    dirs.add(root);
    while (!dirs.isEmpty()) {
      Path dir = dirs.poll();
      FileStatus[] listed;
      try {
        listed = fs.listStatus(dir);
      } catch (java.io.FileNotFoundException e) {
        if (dir.equals(root)) {
          throw e;
        }
        continue; // removed after its parent was listed (a committer's _temporary): it holds no file of the write
      }
      for (FileStatus status : listed) {
        if (status.isDirectory()) {
          dirs.add(status.getPath());
          continue;
        }
        add(out, prefix, root, fs.makeQualified(status.getPath()).toUri().getPath(), all);
      }
    }
    out.sort(null);
    return out;
  }

  private static void add(List<String> out, String prefix, Path root, String path, boolean all) throws IOException {
    if (!path.startsWith(prefix + "/")) {
      throw new IOException("listing " + root + " gave " + path + ", which is not below it");
    }
    String relative = path.substring(prefix.length() + 1);
    if (!all && relative.startsWith("_temporary/")) {
      return; // a committer's work in progress, never data of the write
    }
    if (all || !relative.equals("_SUCCESS")) {
      out.add(relative);
    }
  }

  /** Renames {@code from} to {@code to}, which must not exist (a rename onto a directory would nest inside it). */
  private static void renameInto(FileSystem fs, Path from, Path to) throws IOException {
    if (fs.exists(to)) {
      throw new IOException("cannot move " + from + " to " + to + ": it exists (another writer?)");
    }
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  private static void delete(FileSystem fs, Path path) throws IOException {
    if (path != null && fs.exists(path) && !fs.delete(path, true)) {
      throw new IOException("could not delete " + path);
    }
  }

  static Path sibling(Path target, String suffix) {
    return new Path(target.getParent(), "." + target.getName() + suffix);
  }

  static List<FileStatus> siblings(FileSystem fs, Path target, String suffix) throws IOException {
    String prefix = "." + target.getName() + suffix;
    List<FileStatus> out = new ArrayList<>();
    if (!fs.exists(target.getParent())) {
      return out;
    }
    for (FileStatus s : fs.listStatus(target.getParent(), p -> p.getName().startsWith(prefix))) {
      out.add(s);
    }
    return out;
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", path, e.toString());
    }
  }
}
