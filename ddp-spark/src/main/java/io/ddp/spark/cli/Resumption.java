package io.ddp.spark.cli;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Selection;
import io.ddp.core.text.Secrets;
import io.ddp.io.DeclaredIO;
import io.ddp.spark.exec.SparkExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What {@code ddp run --resume} continues: the pipes of the failed run that still have to write
 * their sinks, the committed sinks read back instead (those whose lineage is unchanged), and the
 * failed run's id, which tags the commits of every resumption so a later one finds them.
 *
 * @param selection the pipes to run now
 * @param runId the failed run's id
 * @param reused committed sinks read back from their locations, not written again
 * @param selected the failed run's own selection (what the state file keeps remembering)
 */
record Resumption(Selection selection, String runId, List<String> reused, Set<Integer> selected) {
  /** Why a run cannot be resumed; the command prints it and exits 2. */
  static final class Refused extends DdpException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The rest of the failed run recorded in {@code stateFile}; empty when nothing is left (said on
   * {@code out}).
   *
   * @throws Refused saying why this run cannot be resumed
   */
  static Optional<Resumption> of(ExecutionPlan plan, String file, String stateDir, String stateFile, Configuration hadoop,
      PrintWriter out) {
    String fingerprint = RunState.fingerprint(plan.pipeline());
    Optional<RunState.Record> previous = RunState.read(stateFile, hadoop);
    if (previous.isEmpty()) {
      throw new Refused("no earlier run of " + file + " is recorded in " + stateDir
          + "; run it without --resume (or pass the --state-dir the failed run used)");
    }
    RunState.Record r = previous.get();
    boolean sameFile = r.fingerprint().equals(fingerprint);
    if (r.lineages() == null && !sameFile) {
      throw new Refused(file + " or its variables changed since the run of " + r.startedAt()
          + ", and that run's state predates lineage fingerprints, so its committed sinks may not match; run again without"
          + " --resume (or use --from)");
    }
    if ("succeeded".equals(r.status()) && sameFile) {
      out.println("Nothing to resume: the last run of " + plan.pipeline().name() + " (" + r.startedAt() + ") succeeded.");
      return Optional.empty();
    }
    // A committed sink is reused when nothing it depends on changed (its lineage fingerprint is the
    // one recorded at its commit); otherwise it is written again, unless it is appended to.
    Set<String> reused = new LinkedHashSet<>();
    Set<String> changed = new LinkedHashSet<>();
    Set<String> committedNow = committedSinks(plan, r, hadoop, out);
    // In declaration order, whatever order the sinks were committed in.
    for (String id : plan.data().keySet()) {
      if (!committedNow.contains(id)) {
        continue;
      }
      String then = r.lineages() == null ? null : r.lineages().get(id);
      boolean same = then != null ? then.equals(RunState.lineage(plan, id)) : sameFile;
      (same ? reused : changed).add(id);
    }
    List<String> appendsChanged = changed.stream().filter(id -> plan.data(id).mode() == WriteMode.APPEND)
        .toList();
    if (!appendsChanged.isEmpty()) {
      throw new Refused(appendsChanged + " " + (appendsChanged.size() == 1 ? "is" : "are") + " appended to, and"
          + " what " + (appendsChanged.size() == 1 ? "it depends" : "they depend") + " on changed since the failed run committed"
          + " it: resuming would append another version on top; run again without --resume");
    }
    Set<String> targets = new LinkedHashSet<>();
    for (String output : selectedSinks(plan, r)) {
      if (!reused.contains(output)) {
        targets.add(output);
      }
    }
    if (targets.isEmpty()) {
      out.println("Nothing to resume: every sink of the last run of " + plan.pipeline().name() + " was committed.");
      return Optional.empty();
    }
    Selection rest = Selection.toProduce(plan, targets, reused);
    out.println("Resuming " + plan.pipeline().name() + ": " + rest.pipes().size() + " pipes to write " + targets
        + (reused.isEmpty() ? "" : "; reading committed " + reused)
        + (changed.isEmpty() ? "" : "; writing again " + changed + ", which depend" + (changed.size() == 1 ? "s" : "")
            + " on declarations that changed"));
    out.flush();
    return Optional.of(new Resumption(rest, r.runId(), List.copyOf(reused), new LinkedHashSet<>(r.selected())));
  }

  /** The sinks of the pipes the failed run selected, as the pipeline now declares them. */
  private static Set<String> selectedSinks(ExecutionPlan plan, RunState.Record r) {
    Set<String> out = new LinkedHashSet<>();
    for (int index : r.selected()) {
      if (index >= 1 && index <= plan.order().size()) {
        String output = plan.pipe(index).declaration().outputDataId();
        if (plan.role(output) == ExecutionPlan.Role.SINK) {
          out.add(output);
        }
      }
    }
    return out;
  }

  /**
   * The sinks the run state records as committed, and those whose commit marker for the failed run
   * is at their location although the state missed it (the process ended between the commit and the
   * state write): those are committed too, and never written again.
   */
  private static Set<String> committedSinks(ExecutionPlan plan, RunState.Record r, Configuration hadoop,
      PrintWriter out) {
    Set<String> committed = new LinkedHashSet<>(r.committed());
    DeclaredIO io = DeclaredIO.load(Thread.currentThread().getContextClassLoader());
    for (String output : selectedSinks(plan, r)) {
      DataDeclare d = plan.data(output);
      if (committed.contains(output) || !d.hasLocation()) {
        continue;
      }
      try {
        if (io.committed(d, hadoop, SparkExecutor.commitTag(r.runId(), output)).isPresent()) {
          committed.add(output);
          if (out != null) {
            out.println("'" + output + "' was committed by the failed run (its commit is at " + Secrets.mask(d.location())
                + " though the run state missed it): not written again");
          }
        }
      } catch (IOException | RuntimeException e) {
        // Unreadable: the state file decides, as before markers existed.
      }
    }
    return committed;
  }

  /**
   * For each committed append sink that a resumed pipe reads: only the rows the failed run appended
   * (the files its commit marker lists), not the location's whole history.
   */
  static Map<String, Dataset<Row>> appendedByTheFailedRun(ExecutionPlan plan,
      Selection selection, List<String> committed, String runId, SparkSession spark, PrintWriter err) {
    Set<String> read = new LinkedHashSet<>();
    for (int index : selection.pipes()) {
      read.addAll(plan.pipe(index).declaration().inputDataId());
    }
    Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
    DeclaredIO datasetIO = DeclaredIO.load(Thread.currentThread().getContextClassLoader());
    for (String id : committed) {
      DataDeclare d = plan.data(id);
      if (d == null || !read.contains(id) || d.mode() != WriteMode.APPEND) {
        continue;
      }
      Optional<List<String>> files;
      try {
        files = datasetIO.committed(d, spark.sparkContext().hadoopConfiguration(), SparkExecutor.commitTag(runId, id));
      } catch (IOException e) {
        files = Optional.empty();
      }
      if (files.isEmpty()) {
        err.println("ddp run --resume: '" + id + "' is appended to, and the failed run's commit record is not at its location:"
            + " the resumed pipes read all of it, earlier runs' rows included");
        continue;
      }
      List<String> names = files.get().stream().map(f -> f.substring(f.lastIndexOf('/') + 1)).toList();
      sources.put(id, datasetIO.read(spark, d).where(functions.substring_index(
          functions.input_file_name(), "/", -1).isin(names.toArray())));
    }
    return sources;
  }

}
