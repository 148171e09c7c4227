package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.Selection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks, without starting Spark, that every dataset a run reads from its location is there:
 * sources, and outputs of pipes the run does not select. Messages say which pipe must run first.
 */
public final class InputCheck {
  private static final String MISSING = "does not exist";

  private InputCheck() {}

  /** A Hadoop configuration with the {@code spark.hadoop.*} entries of the given Spark conf. */
  public static Configuration hadoopConf(Map<String, String> sparkConf) {
    Configuration conf = new Configuration();
    sparkConf.forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        conf.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    return conf;
  }

  /**
   * One sentence per dataset the selection reads that is missing, or that has no location;
   * {@code given} names datasets supplied in memory, which need no location.
   */
  public static List<String> problems(Selection selection, Set<String> given, Configuration conf) {
    ExecutionPlan plan = selection.plan();
    DeclaredIO io = DeclaredIO.load(Thread.currentThread().getContextClassLoader());
    List<String> out = new ArrayList<>(selection.unavailableInputs());
    for (String id : selection.readFromLocation()) {
      DataDeclare d = plan.data(id);
      // Each format says whether its location is a path (not a JDBC URL, a name in memory or a catalog table).
      if (given.contains(id) || !d.hasLocation() || !io.format(d).locationIsPath(d)) {
        continue;
      }
      Optional<PlannedPipe> producer = plan.producer(id);
      String where;
      try {
        where = exists(d.location(), conf) ? null : MISSING;
      } catch (IOException | RuntimeException e) {
        where = "cannot be checked (" + e.getMessage() + ")";
      }
      if (where == null) {
        continue;
      }
      if (where.equals(MISSING) && producer.isPresent()) {
        PlannedPipe p = producer.get();
        out.add("dataset '" + id + "' at " + d.location() + " does not exist yet: it is produced by " + p.label()
            + ", which this run does not select; run " + p.label() + " first (e.g. --from " + p.index() + " or --to " + id + ")");
      } else {
        // A location that cannot be checked (no file system for the scheme, no access) is reported as
        // such even when a pipe produces it: running that pipe first would not help.
        out.add((producer.isPresent() ? "dataset '" : "source dataset '") + id + "' at " + d.location() + " " + where
            + "; check its \"location\"");
      }
    }
    return out;
  }

  private static boolean exists(String location, Configuration conf) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    if (location.contains("*") || location.contains("?") || location.contains("[") || location.contains("{")) {
      FileStatus[] matches = fs.globStatus(path);
      return matches != null && matches.length > 0;
    }
    return fs.exists(path);
  }
}
