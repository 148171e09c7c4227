package io.ddp.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The journal of one commit to a location: which step it is at, so that a commit that fails or is
 * killed part-way can be undone by the next writer. Each step writes a new numbered file
 * ({@code .NAME.ddp-commit-ID.N}) ending with an end line, before the step starts; the newest
 * complete file is the state. A file torn by a kill is incomplete and ignored: its step had not
 * started. No file is ever rewritten in place, which object stores could not do atomically anyway.
 */
final class CommitJournal {
  static final String SUFFIX = ".ddp-commit-";
  private static final String END = "end";

  enum Phase {
    /** Overwrite: the old content is being moved aside (it may be split between both places). */
    ASIDE,
    /** Overwrite: the old content is whole aside; the new content is being moved in. */
    SWAP,
    /** Overwrite: the new content is in place; only the old content is left to delete. */
    DONE,
    /** Append: the new files are being moved in. */
    APPEND
  }

  /**
   * One state: the phase; for an overwrite, the aside copy and the files of the old content; the new
   * files (relative to the location) an overwrite or an append moves in.
   */
  record Entry(Phase phase, Path previous, List<String> old, List<String> added) {
    static Entry overwrite(Phase phase, Path previous, List<String> old, List<String> added) {
      return new Entry(phase, previous, List.copyOf(old), List.copyOf(added));
    }

    static Entry append(List<String> added) {
      return new Entry(Phase.APPEND, null, List.of(), List.copyOf(added));
    }
  }

  private final FileSystem fs;
  private final Path base;
  private int written;

  /** {@code base} is {@code .NAME.ddp-commit-ID}; the numbered files are next to it. */
  CommitJournal(FileSystem fs, Path base) {
    this.fs = fs;
    this.base = base;
  }

  Path path() {
    return base;
  }

  void write(Entry entry) throws IOException {
    Path file = new Path(base.getParent(), base.getName() + "." + (++written));
    StringBuilder text = new StringBuilder("phase=").append(entry.phase()).append('\n');
    if (entry.previous() != null) {
      text.append("previous=").append(entry.previous()).append('\n');
    }
    for (String f : entry.old()) {
      text.append("old=").append(f).append('\n');
    }
    for (String f : entry.added()) {
      text.append("new=").append(f).append('\n');
    }
    text.append(END).append('\n');
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.hsync();
    }
  }

  /** The newest complete state. */
  Entry read() throws IOException {
    List<FileStatus> files = numbered();
    for (int i = files.size() - 1; i >= 0; i--) {
      Entry e = parse(files.get(i).getPath());
      if (e != null) {
        return e;
      }
    }
    throw new IOException("the commit journal " + base + " has no complete entry");
  }

  /** True when no complete state was ever written: the commit had not started changing anything. */
  boolean empty() throws IOException {
    for (FileStatus f : numbered()) {
      if (parse(f.getPath()) != null) {
        return false;
      }
    }
    return true;
  }

  void delete() throws IOException {
    for (FileStatus f : numbered()) {
      if (!fs.delete(f.getPath(), false) && fs.exists(f.getPath())) {
        throw new IOException("could not delete " + f.getPath());
      }
    }
  }

  /** What a person can do when the next writer cannot recover this commit either. */
  String recoveryHint(Path target) {
    Entry e;
    try {
      e = read();
    } catch (IOException unreadable) {
      return "Its journal is " + base + ".*.";
    }
    String journal = " Then delete " + base + ".*.";
    switch (e.phase()) {
      case ASIDE:
        return "The previous content of " + target + " is split between it and " + e.previous()
            + ". The next run that writes this dataset moves it back; by hand, move every file of " + e.previous()
            + " that " + target + " lacks back into it and delete " + e.previous() + "." + journal;
      case SWAP:
        return "The previous content of " + target + " is whole in " + e.previous() + ". The next run that writes this dataset"
            + " restores it; by hand, delete " + target + " and rename " + e.previous() + " to " + target + "." + journal;
      case DONE:
        return "The new content is in place; " + e.previous() + " holds the old one, which the next run deletes." + journal;
      default:
        return "Files of a failed append may be in " + target + "; the next run that writes this dataset removes them. By hand,"
            + " delete from " + target + " the files listed in " + base + ".* (new=...)." + journal;
    }
  }

  /** Journals left beside {@code target}, one per interrupted commit, ignoring ones whose first step never started. */
  static List<CommitJournal> find(FileSystem fs, Path target) throws IOException {
    Map<String, CommitJournal> byId = new LinkedHashMap<>();
    for (FileStatus s : AtomicCommit.siblings(fs, target, SUFFIX)) {
      String name = s.getPath().getName();
      int dot = name.lastIndexOf('.');
      String baseName = name.substring(0, dot);
      byId.computeIfAbsent(baseName, n -> new CommitJournal(fs, new Path(target.getParent(), n)));
    }
    List<CommitJournal> out = new ArrayList<>();
    for (CommitJournal j : byId.values()) {
      if (j.empty()) {
        j.delete();
      } else {
        out.add(j);
      }
    }
    return out;
  }

  private List<FileStatus> numbered() throws IOException {
    List<FileStatus> out = new ArrayList<>();
    String prefix = base.getName() + ".";
    for (FileStatus s : fs.listStatus(base.getParent(), p -> p.getName().startsWith(prefix))) {
      if (s.getPath().getName().substring(prefix.length()).matches("\\d+")) {
        out.add(s);
      }
    }
    out.sort((a, b) -> Integer.compare(number(a), number(b)));
    return out;
  }

  private int number(FileStatus s) {
    String n = s.getPath().getName();
    return Integer.parseInt(n.substring(n.lastIndexOf('.') + 1));
  }

  private Entry parse(Path file) throws IOException {
    Phase phase = null;
    Path previous = null;
    List<String> old = new ArrayList<>();
    List<String> added = new ArrayList<>();
    boolean complete = false;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals(END)) {
          complete = true;
        } else if (line.startsWith("phase=")) {
          phase = Phase.valueOf(line.substring(6));
        } else if (line.startsWith("previous=")) {
          previous = new Path(line.substring(9));
        } else if (line.startsWith("old=")) {
          old.add(line.substring(4));
        } else if (line.startsWith("new=")) {
          added.add(line.substring(4));
        }
      }
    } catch (IllegalArgumentException torn) {
      return null;
    }
    return complete && phase != null ? new Entry(phase, previous, old, added) : null;
  }
}
