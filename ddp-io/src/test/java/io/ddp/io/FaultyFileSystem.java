package io.ddp.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system, failing the renames and deletes a test picks; a {@link #conf()} gives it
 * for {@code file:} paths (uncached, so no other test meets it). A failed directory rename can first move some of its files, as a rename on an object store
 * (a copy, then a delete) leaves things when it fails part-way.
 */
public final class FaultyFileSystem extends RawLocalFileSystem {
  /** Fails a rename: given the rename's number (from 1 since {@link #reset()}), its source and its target. */
  interface RenameFault {
    boolean fails(int number, Path from, Path to);
  }

  static volatile RenameFault renameFault = (n, from, to) -> false;
  static volatile int filesMovedBeforeFailing;
  static volatile Predicate<Path> deleteFault = p -> false;
  private static int renames;

  static synchronized void reset() {
    renameFault = (n, from, to) -> false;
    filesMovedBeforeFailing = 0;
    deleteFault = p -> false;
    renames = 0;
  }

  static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", FaultyFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    int n;
    synchronized (FaultyFileSystem.class) {
      n = ++renames;
    }
    if (renameFault.fails(n, src, dst)) {
      if (filesMovedBeforeFailing > 0 && getFileStatus(src).isDirectory()) {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus f : listStatus(src)) {
          files.add(f);
        }
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        mkdirs(dst);
        for (FileStatus f : files.subList(0, Math.min(filesMovedBeforeFailing, files.size()))) {
          super.rename(f.getPath(), new Path(dst, f.getPath().getName()));
        }
      }
      throw new IOException("injected failure renaming " + src + " to " + dst);
    }
    return super.rename(src, dst);
  }

  @Override
  public boolean delete(Path p, boolean recursive) throws IOException {
    if (deleteFault.test(p)) {
      throw new IOException("injected failure deleting " + p);
    }
    return super.delete(p, recursive);
  }
}
