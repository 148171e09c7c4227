package io.ddp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit path on its own, without Spark: a writer that writes part files as Spark does, on the
 * local file system and on {@link FaultyFileSystem}, which fails chosen renames and deletes.
 */
class AtomicCommitTest {
  @TempDir
  Path dir;

  @AfterEach
  void clearFaults() {
    FaultyFileSystem.reset();
  }

  private static DataDeclare data(String location, WriteMode mode) {
    return DataDeclare.builder("Out").location(location).format("parquet").mode(mode).build();
  }

  /** Writes the named part files and Spark's _SUCCESS marker, as a Spark job does. */
  private static AtomicCommit.Writer parts(Configuration conf, String... names) {
    return path -> {
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = root.getFileSystem(conf);
      for (String name : names) {
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(root, name), false)) {
          out.write(name.getBytes(StandardCharsets.UTF_8));
        }
      }
      fs.create(new org.apache.hadoop.fs.Path(root, "_SUCCESS"), false).close();
    };
  }

  /** Files below {@code root}, relative, checksum files left out. */
  private static Set<String> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).filter(n -> !n.endsWith(".crc"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Hidden entries DDP left beside {@code root}. */
  private static Set<String> leftovers(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root.getParent())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + root.getFileName())).filter(n -> !n.endsWith(".crc"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** A location for {@link FaultyFileSystem#conf()}: a plain local path. */
  private static String faulty(Path p) {
    return p.toAbsolutePath().toString();
  }

  @Test
  void appendsToARelativeLocationLandInIt() throws Exception {
    // Relative to the working directory, as "location": "out/data" is in a pipeline file.
    String relative = "target/atomic-commit-" + UUID.randomUUID() + "/out/data";
    Path absolute = Path.of(relative).toAbsolutePath();
    Configuration conf = new Configuration();
    try {
      AtomicCommit.write(data(relative, WriteMode.OVERWRITE), conf, parts(conf, "part-0-a.txt"));
      AtomicCommit.write(data(relative, WriteMode.APPEND), conf, parts(conf, "part-0-b.txt", "part-1-b.txt"));
      AtomicCommit.write(data(relative, WriteMode.APPEND), conf, parts(conf, "part-0-c.txt"));

      assertThat(files(absolute)).containsExactly("_SUCCESS", "part-0-a.txt", "part-0-b.txt", "part-0-c.txt", "part-1-b.txt");
      assertThat(leftovers(absolute)).isEmpty();
    } finally {
      org.apache.commons.io.FileUtils.deleteQuietly(absolute.getParent().getParent().toFile());
    }
  }

  @Test
  void appendsKeepPartitionDirectories() throws Exception {
    Path out = dir.resolve("by-day");
    Configuration conf = new Configuration();
    AtomicCommit.write(data(out.toString(), WriteMode.APPEND), conf, parts(conf, "day=1/part-0-a.txt"));
    AtomicCommit.write(data(out.toString(), WriteMode.APPEND), conf, parts(conf, "day=1/part-0-b.txt", "day=2/part-0-b.txt"));
    assertThat(files(out)).containsExactly("_SUCCESS", "day=1/part-0-a.txt", "day=1/part-0-b.txt", "day=2/part-0-b.txt");
  }

  @Test
  void anAppendThatFailsPartWayLeavesNoneOfItsFiles() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = FaultyFileSystem.conf();
    AtomicCommit.write(data(faulty(out), WriteMode.OVERWRITE), conf, parts(conf, "part-old.txt"));
    // The append moves five files; the third move fails.
    FaultyFileSystem.renameFault = (n, from, to) -> from.getName().equals("part-3.txt");

    assertThatThrownBy(() -> AtomicCommit.write(data(faulty(out), WriteMode.APPEND), conf,
        parts(conf, "part-1.txt", "part-2.txt", "part-3.txt", "part-4.txt", "part-5.txt")))
        .isInstanceOf(DdpException.class)
        .hasMessageContaining("Cannot write dataset 'Out'")
        .hasMessageContaining("injected failure renaming");

    assertThat(files(out)).containsExactly("_SUCCESS", "part-old.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void anAppendWhoseUndoAlsoFailsIsUndoneByTheNextWriter() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = FaultyFileSystem.conf();
    AtomicCommit.write(data(faulty(out), WriteMode.OVERWRITE), conf, parts(conf, "part-old.txt"));
    FaultyFileSystem.renameFault = (n, from, to) -> from.getName().equals("part-3.txt");
    FaultyFileSystem.deleteFault = p -> p.getName().equals("part-1.txt") && !p.toString().contains("staging");

    assertThatThrownBy(() -> AtomicCommit.write(data(faulty(out), WriteMode.APPEND), conf,
        parts(conf, "part-1.txt", "part-2.txt", "part-3.txt")))
        .hasMessageContaining("undoing the commit failed too")
        .hasMessageContaining("the next run that writes this dataset removes them");
    assertThat(files(out)).contains("part-1.txt");

    FaultyFileSystem.reset();
    AtomicCommit.write(data(faulty(out), WriteMode.APPEND), conf, parts(conf, "part-next.txt"));
    assertThat(files(out)).containsExactly("_SUCCESS", "part-next.txt", "part-old.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void anOverwriteWhoseRollbackFailsIsRestoredBeforeAnIgnoreWriterLooks() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = FaultyFileSystem.conf();
    AtomicCommit.write(data(faulty(out), WriteMode.OVERWRITE), conf, parts(conf, "part-old-1.txt", "part-old-2.txt"));
    // Moving the new content in fails part-way (half of it lands), and so does moving the old one back.
    FaultyFileSystem.filesMovedBeforeFailing = 1;
    FaultyFileSystem.renameFault = (n, from, to) -> from.getName().contains("ddp-staging") || from.toString().contains("ddp-previous");

    assertThatThrownBy(() -> AtomicCommit.write(data(faulty(out), WriteMode.OVERWRITE), conf,
        parts(conf, "part-new-1.txt", "part-new-2.txt")))
        .hasMessageContaining("undoing the commit failed too")
        .hasMessageContaining("is whole in")
        .hasMessageContaining("The next run that writes this dataset restores it");
    assertThat(leftovers(out)).anyMatch(n -> n.startsWith(".out.ddp-previous-"));

    // Mode ignore must not take the half-written location for a finished one.
    FaultyFileSystem.reset();
    boolean written = AtomicCommit.write(data(faulty(out), WriteMode.IGNORE), conf, parts(conf, "part-ignored.txt"));
    assertThat(written).isFalse();
    assertThat(files(out)).containsExactly("_SUCCESS", "part-old-1.txt", "part-old-2.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void anOverwriteWhoseFirstRenameFailsPartWayKeepsTheOldContentWhole() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = FaultyFileSystem.conf();
    AtomicCommit.write(data(faulty(out), WriteMode.OVERWRITE), conf, parts(conf, "part-1.txt", "part-2.txt", "part-3.txt"));
    // On s3a a directory rename is a copy and a delete: it can fail with part of the old content moved.
    FaultyFileSystem.filesMovedBeforeFailing = 2;
    FaultyFileSystem.renameFault = (n, from, to) -> to.getName().contains("ddp-previous");

    assertThatThrownBy(() -> AtomicCommit.write(data(faulty(out), WriteMode.OVERWRITE), conf, parts(conf, "part-new.txt")))
        .hasMessageContaining("injected failure renaming");

    assertThat(files(out)).containsExactly("_SUCCESS", "part-1.txt", "part-2.txt", "part-3.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void aKilledOverwriteIsUndoneByTheNextWriter() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = new Configuration();
    AtomicCommit.write(data(out.toString(), WriteMode.OVERWRITE), conf, parts(conf, "part-old.txt"));
    // What a run killed right after moving the old content aside leaves: the journal and the aside copy.
    Path previous = dir.resolve(".out.ddp-previous-dead0001");
    Files.move(out, previous);
    FileSystem fs = FileSystem.get(conf);
    new CommitJournal(fs, new org.apache.hadoop.fs.Path(dir.resolve(".out.ddp-commit-dead0001").toUri()))
        .write(CommitJournal.Entry.overwrite(CommitJournal.Phase.SWAP, new org.apache.hadoop.fs.Path(previous.toUri()),
            java.util.List.of("_SUCCESS", "part-old.txt"), java.util.List.of("_SUCCESS", "part-x.txt")));
    Files.createDirectories(dir.resolve(".out.ddp-staging-dead0001"));

    assertThat(AtomicCommit.write(data(out.toString(), WriteMode.IGNORE), conf, parts(conf, "part-x.txt"))).isFalse();
    assertThat(files(out)).containsExactly("_SUCCESS", "part-old.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void aSecondWriterOfTheSameLocationFailsFastNamingTheFirst() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = new Configuration();
    AtomicCommit.Writer first = path -> {
      parts(conf, "part-first.txt").writeTo(path);
      assertThatThrownBy(() -> AtomicCommit.write(data(out.toString(), WriteMode.OVERWRITE), conf, parts(conf, "part-second.txt")))
          .isInstanceOf(DdpException.class)
          .hasMessageContaining("Cannot write dataset 'Out': " + "file:" + out)
          .hasMessageContaining("is being written by another run (dataset 'Out', process " + ProcessHandle.current().pid())
          .hasMessageContaining("delete its lock file:" + dir.resolve(".out.ddp-lock"));
    };
    AtomicCommit.write(data(out.toString(), WriteMode.OVERWRITE), conf, first);

    assertThat(files(out)).containsExactly("_SUCCESS", "part-first.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void theLockOfAProcessThatEndedIsTakenOver() throws Exception {
    Path out = dir.resolve("out");
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Files.writeString(dir.resolve(".out.ddp-lock"), "token=x\npid=" + ended.pid() + "\nhost="
        + java.net.InetAddress.getLocalHost().getHostName() + "\ndataset=Out\nsince=2026-01-01T00:00:00Z\n");
    Configuration conf = new Configuration();

    AtomicCommit.write(data(out.toString(), WriteMode.OVERWRITE), conf, parts(conf, "part-1.txt"));

    assertThat(files(out)).containsExactly("_SUCCESS", "part-1.txt");
    assertThat(leftovers(out)).isEmpty();
  }

  @Test
  void aTaggedWriteLeavesAMarkerOnlyWhenItCommits() throws Exception {
    Path out = dir.resolve("out");
    Configuration conf = FaultyFileSystem.conf();
    DataDeclare first = data(faulty(out), WriteMode.APPEND);
    AtomicCommit.write(first, conf, parts(conf, "part-1.txt"), "run1.Out");
    AtomicCommit.write(first, conf, parts(conf, "day=2/part-2.txt", "part-3.txt"), "run2.Out");

    assertThat(CommitMarkers.committed(first, conf, "run1.Out")).contains(java.util.List.of("part-1.txt"));
    assertThat(CommitMarkers.committed(first, conf, "run2.Out").orElseThrow()).containsExactlyInAnyOrder("day=2/part-2.txt", "part-3.txt");
    assertThat(files(out)).contains(".ddp-commit-run1.Out", ".ddp-commit-run2.Out");

    // An append that fails part-way commits none of its files, and no marker.
    FaultyFileSystem.renameFault = (n, from, to) -> from.getName().equals("part-5.txt");
    assertThatThrownBy(() -> AtomicCommit.write(first, conf, parts(conf, "part-4.txt", "part-5.txt"), "run3.Out"))
        .hasMessageContaining("injected failure");
    assertThat(CommitMarkers.committed(first, conf, "run3.Out")).isEmpty();
    assertThat(files(out)).doesNotContain("part-4.txt");
  }
}
