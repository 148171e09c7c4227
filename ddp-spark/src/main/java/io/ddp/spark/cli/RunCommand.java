package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.text.Secrets;
import io.ddp.io.CommitMarkers;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.RunGraph;
import io.ddp.core.plan.Selection;
import io.ddp.core.plan.Stage;
import io.ddp.core.model.MetricsConfig;
import io.ddp.metrics.MetricDatum;
import io.ddp.metrics.MetricSink;
import io.ddp.metrics.MetricsPublisher;
import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.ProgressMonitor;
import io.ddp.spark.exec.RunListener;
import io.ddp.spark.exec.RunReport;
import java.time.Duration;
import io.ddp.spark.exec.RunOptions;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.exec.SparkExecutor;
import io.ddp.io.InputCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddp run}: validates, then runs a pipeline (or part of it) in one SparkSession. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Validates the pipeline (exit 2 on errors, before any Spark starts), then runs it.",
        "Exit 0 on success, 1 when a pipe or a write fails (the message names the pipe and the root cause",
        "and is followed by the command that resumes the run).",
        "Spark conf: the pipeline's \"spark\" block, then --conf. Master: --master, else the one spark-submit set,",
        "else local[*].",
        "ID (for --from, --to, --only) is a dataId, a transformer name, or a transformer index such as 3."})
final class RunCommand implements Callable<Integer> {
  @Mixin
  PipelineOptions pipeline;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration; overrides the pipeline's \"spark\" block. Repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[4], spark://host:7077, yarn.")
  String master;

  @Option(names = "--from", paramLabel = "ID", description = "Run from this pipe (or the pipes reading this dataset) downstream.")
  String from;

  @Option(names = "--to", paramLabel = "ID", description = "Run up to this pipe (or the producer of this dataset), with everything upstream.")
  String to;

  @Option(names = "--only", paramLabel = "ID", description = "Run only this pipe (or the producer of this dataset).")
  String only;

  @Option(names = "--resume", description = "After a failed run: run only what did not complete; committed sinks are read back.")
  boolean resume;

  /** Set by a resume: the committed sinks it reads back instead of writing again. */
  private Set<String> reusedOnResume = Set.of();

  @Option(names = "--dry-run", description = "Validate, plan, check that inputs exist; start no Spark job.")
  boolean dryRun;

  @Option(names = "--parallelism", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_PARALLELISM,
      description = "Pipes that may run at once (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:DDP_STATE_DIR:-.ddp/state}",
      description = "Where run state for --resume is kept (default: ${DEFAULT-VALUE}; env DDP_STATE_DIR).")
  Path stateDir;

  @Option(names = "--metrics-sink", paramLabel = "TYPE[:KEY=VALUE,...]",
      description = {"Publish metrics here instead of the pipeline's metricsConfig.sinks. Repeatable. E.g. log,",
          "jsonl:path=metrics.jsonl, cloudwatch:namespace=DDP,region=eu-west-1."})
  List<String> metricSinks = new ArrayList<>();

  @Option(names = "--metrics-interval", paramLabel = "SECONDS", description = "How often metrics are published (default: metricsConfig.intervalSeconds, 30).")
  Integer metricsInterval;

  @Option(names = "--report", paramLabel = "FILE", description = "Where the JSON run report goes (default: metricsConfig.report, else .ddp/reports/PIPELINE.json).")
  Path report;

  @Option(names = "--viz", paramLabel = "FILE", description = "Draw the DAG with live status to FILE (.svg, .png or .dot), redrawn as pipes change state.")
  Path viz;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (resume && (from != null || to != null || only != null)) {
      err.println("ddp run: --resume continues the failed run's own selection; do not combine it with --from, --to or --only");
      return DdpCommand.EXIT_INVALID;
    }
    if (parallelism < 1) {
      err.println("ddp run: --parallelism must be at least 1, not " + parallelism);
      return DdpCommand.EXIT_INVALID;
    }
    if (metricsInterval != null && (metricsInterval < 1 || metricsInterval > 86_400)) {
      err.println("ddp run: --metrics-interval must be a whole number of seconds from 1 to 86400, not " + metricsInterval);
      return DdpCommand.EXIT_INVALID;
    }
    PipelineLoader.Loaded loaded = Loading.load(pipeline.file, pipeline.vars, err);
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    ExecutionPlan plan = loaded.plan();
    String fingerprint = RunState.fingerprint(plan.pipeline());
    Path stateFile = RunState.fileFor(stateDir, pipeline.file, plan.pipeline().name());
    Selection selection;
    List<String> carried = List.of();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    try {
      if (resume) {
        Optional<RunState.Record> previous = RunState.read(stateFile);
        Optional<Selection> rest = resumeSelection(plan, fingerprint, previous, out, err);
        if (rest == null) {
          return DdpCommand.EXIT_INVALID;
        }
        if (rest.isEmpty()) {
          return DdpCommand.EXIT_OK;
        }
        selection = rest.get();
        // The original run's id tags the commits of every resumption, so a later resume finds them.
        runId = previous.get().runId();
        carried = new ArrayList<>(reusedOnResume);
      } else {
        selection = from == null && to == null && only == null ? Selection.all(plan)
            : Selection.partial(plan, Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(only));
      }
    } catch (DdpException e) {
      err.println("ddp run: " + e.getMessage());
      return DdpCommand.EXIT_INVALID;
    }
    Map<String, String> sparkConf = new LinkedHashMap<>(plan.pipeline().spark());
    sparkConf.putAll(conf);
    List<String> unavailable = selection.unavailableInputs();
    if (!unavailable.isEmpty() && !dryRun) {
      unavailable.forEach(m -> err.println("ddp run: " + m));
      err.println("ddp run: nothing was run");
      err.flush();
      return DdpCommand.EXIT_INVALID;
    }
    List<String> missing = InputCheck.problems(selection, Set.of(), InputCheck.hadoopConf(sparkConf));
    if (dryRun) {
      printDryRun(plan, selection, missing, out);
      missing.forEach(m -> err.println("ddp run --dry-run: " + m));
      out.flush();
      err.flush();
      return !unavailable.isEmpty() ? DdpCommand.EXIT_INVALID : missing.isEmpty() ? DdpCommand.EXIT_OK : DdpCommand.EXIT_FAILED;
    }
    if (!missing.isEmpty()) {
      missing.forEach(m -> err.println("ddp run: " + m));
      err.println("ddp run: nothing was run");
      err.flush();
      return DdpCommand.EXIT_FAILED;
    }
    boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SparkSessions.create(plan.pipeline(), conf, Optional.ofNullable(master));
    List<io.ddp.core.validate.Problem> schemaProblems = io.ddp.spark.exec.StaticSchemaCheck.check(plan, spark);
    if (schemaProblems.stream().anyMatch(io.ddp.core.validate.Problem::isError)) {
      schemaProblems.forEach(p -> err.println(p.format(loaded.sources())));
      err.println(pipeline.file + ": " + schemaProblems.stream().filter(io.ddp.core.validate.Problem::isError).count()
          + " schema error(s); nothing was run");
      err.flush();
      if (!existing) {
        spark.stop();
      }
      return DdpCommand.EXIT_INVALID;
    }
    MetricsConfig mc = plan.pipeline().metricsConfig();
    List<MetricSink> sinks;
    try {
      sinks = MetricsWiring.sinks(metricSinks.isEmpty() ? mc.sinks() : MetricsWiring.parse(metricSinks));
    } catch (IllegalArgumentException e) {
      err.println("ddp run: " + e.getMessage());
      err.flush();
      if (!existing) {
        spark.stop();
      }
      return DdpCommand.EXIT_INVALID;
    }
    Path reportFile = report != null ? report
        : mc.report() != null ? Path.of(mc.report()) : Path.of(".ddp", "reports", plan.pipeline().name() + ".json");
    MetricsPublisher publisher = MetricsPublisher.start(sinks,
        Duration.ofSeconds(metricsInterval != null ? metricsInterval : mc.intervalSeconds()), Duration.ofSeconds(10));
    ProgressMonitor progress = new ProgressMonitor(spark.sparkContext(), plan.pipeline().name(),
        Duration.ofSeconds(mc.progressSeconds()), publisher::record);
    RunListener toPublisher = new RunListener() {
      @Override
      public void metrics(List<MetricDatum> data) {
        publisher.record(data);
      }
    };
    RunState state = RunState.start(stateFile, pipeline.file, plan, runId,
        selectedForState(selection, resume, stateFile)).carryOver(carried);
    io.ddp.spark.exec.LivePicture picture = viz == null ? null : new io.ddp.spark.exec.LivePicture(plan, viz);
    // An interrupt (the caller stopping the run) is held back while the end is recorded, so the last
    // metrics, the report and the state are written whole; the caller gets it back at the end.
    boolean interrupted = false;
    try {
      RunOptions.Builder builder = RunOptions.builder().selection(selection).parallelism(parallelism).listener(state)
          .listener(progress).listener(toPublisher).commitRunId(runId);
      if (resume) {
        appendedByTheFailedRun(plan, selection, carried, runId, spark, err).forEach(builder::source);
      }
      if (picture != null) {
        builder.listener(picture);
      }
      RunOptions options = builder.build();
      RunResult result = SparkExecutor.builder(spark).build().run(plan, options);
      interrupted = Thread.interrupted();
      finishMetrics(progress, publisher, reportFile, result, "succeeded", null, err);
      recordEnd(state, true, null, err);
      out.println(result.summary());
      out.println("report: " + reportFile);
      out.flush();
      return DdpCommand.EXIT_OK;
    } catch (PipeFailedException e) {
      interrupted = Thread.interrupted();
      String message = Secrets.mask(e.getMessage());
      finishMetrics(progress, publisher, reportFile, e.result(), "failed", message, err);
      recordEnd(state, false, message, err);
      err.println("ddp run: " + message);
      printOutcomes(e.result(), err);
      err.println("To resume after fixing the cause (committed sinks are kept; the rest runs again):");
      String command = resumeCommand();
      err.println("  " + command);
      if (command.contains(Secrets.MASK)) {
        err.println("  (secret values are shown as " + Secrets.MASK + ": give them again)");
      }
      err.flush();
      return DdpCommand.EXIT_FAILED;
    } catch (RuntimeException e) {
      // Not a pipe's failure (DDP's own fault, or the JVM's): the run still ends as failed, on record.
      interrupted = Thread.interrupted();
      String message = Secrets.mask(String.valueOf(e));
      recordEnd(state, false, message, err);
      err.println("ddp run: the run ended abnormally: " + message);
      err.println("To resume after fixing the cause (committed sinks are kept; the rest runs again):");
      err.println("  " + resumeCommand());
      err.flush();
      return DdpCommand.EXIT_FAILED;
    } finally {
      if (picture != null) {
        picture.close();
      }
      progress.close();
      publisher.close();
      if (!existing) {
        spark.stop();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Records how the run ended. A state file that cannot be written is reported, never allowed to turn
   * a run whose sinks are committed into a crash (the commit markers still keep --resume right).
   */
  private static void recordEnd(RunState state, boolean succeeded, String error, PrintWriter err) {
    try {
      state.finish(succeeded, error);
    } catch (DdpException e) {
      err.println("ddp run: " + e.getMessage() + (succeeded ? " (the run itself succeeded: every sink is committed)" : ""));
    }
  }

  private static void finishMetrics(ProgressMonitor progress, MetricsPublisher publisher, Path reportFile, RunResult result,
      String status, String error, PrintWriter err) {
    progress.close();
    publisher.close();
    if (result != null) {
      try {
        RunReport.write(reportFile, result, status, error);
      } catch (DdpException e) {
        err.println("ddp run: " + e.getMessage());
      }
    }
  }

  /** The pipes the state file remembers as this run's selection: on resume, the original run's. */
  private static Set<Integer> selectedForState(Selection selection, boolean resume, Path stateFile) {
    if (resume) {
      Optional<RunState.Record> previous = RunState.read(stateFile);
      if (previous.isPresent()) {
        return new LinkedHashSet<>(previous.get().selected());
      }
    }
    return selection.pipes();
  }

  /** The rest of a failed run; empty when nothing is left; null (after printing why) when it cannot resume. */
  private Optional<Selection> resumeSelection(ExecutionPlan plan, String fingerprint, Optional<RunState.Record> previous,
      PrintWriter out, PrintWriter err) {
    if (previous.isEmpty()) {
      err.println("ddp run --resume: no earlier run of " + pipeline.file + " is recorded in " + stateDir
          + "; run it without --resume (or pass the --state-dir the failed run used)");
      return null;
    }
    RunState.Record r = previous.get();
    boolean sameFile = r.fingerprint().equals(fingerprint);
    if (r.lineages() == null && !sameFile) {
      err.println("ddp run --resume: " + pipeline.file + " or its variables changed since the run of " + r.startedAt()
          + ", and that run's state predates lineage fingerprints, so its committed sinks may not match; run again without"
          + " --resume (or use --from)");
      return null;
    }
    if ("succeeded".equals(r.status()) && sameFile) {
      out.println("Nothing to resume: the last run of " + plan.pipeline().name() + " (" + r.startedAt() + ") succeeded.");
      return Optional.empty();
    }
    // A committed sink is reused when nothing it depends on changed (its lineage fingerprint is the
    // one recorded at its commit); otherwise it is written again, unless it is appended to.
    Set<String> reused = new LinkedHashSet<>();
    Set<String> changed = new LinkedHashSet<>();
    Set<String> committedNow = committedSinks(plan, r, hadoopConf(plan), out);
    // In declaration order, whatever order the sinks were committed in.
    for (String id : plan.data().keySet()) {
      if (!committedNow.contains(id)) {
        continue;
      }
      String then = r.lineages() == null ? null : r.lineages().get(id);
      boolean same = then != null ? then.equals(RunState.lineage(plan, id)) : sameFile;
      (same ? reused : changed).add(id);
    }
    List<String> appendsChanged = changed.stream().filter(id -> plan.data(id).mode() == io.ddp.core.model.WriteMode.APPEND)
        .toList();
    if (!appendsChanged.isEmpty()) {
      err.println("ddp run --resume: " + appendsChanged + " " + (appendsChanged.size() == 1 ? "is" : "are") + " appended to, and"
          + " what " + (appendsChanged.size() == 1 ? "it depends" : "they depend") + " on changed since the failed run committed"
          + " it: resuming would append another version on top; run again without --resume");
      return null;
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
    reusedOnResume = reused;
    Selection rest = Selection.toProduce(plan, targets, reused);
    out.println("Resuming " + plan.pipeline().name() + ": " + rest.pipes().size() + " pipes to write " + targets
        + (reused.isEmpty() ? "" : "; reading committed " + reused)
        + (changed.isEmpty() ? "" : "; writing again " + changed + ", which depend" + (changed.size() == 1 ? "s" : "")
            + " on declarations that changed"));
    out.flush();
    return Optional.of(rest);
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

  /** Hadoop settings from the pipeline's "spark" block and --conf, for looking at locations before Spark starts. */
  private org.apache.hadoop.conf.Configuration hadoopConf(ExecutionPlan plan) {
    Map<String, String> all = new LinkedHashMap<>(plan.pipeline().spark());
    all.putAll(conf);
    return InputCheck.hadoopConf(all);
  }

  /**
   * The sinks the run state records as committed, and those whose commit marker for the failed run
   * is at their location although the state missed it (the process ended between the commit and the
   * state write): those are committed too, and never written again.
   */
  private static Set<String> committedSinks(ExecutionPlan plan, RunState.Record r, org.apache.hadoop.conf.Configuration hadoop,
      PrintWriter out) {
    Set<String> committed = new LinkedHashSet<>(r.committed());
    for (String output : selectedSinks(plan, r)) {
      DataDeclare d = plan.data(output);
      if (committed.contains(output) || !d.hasLocation()) {
        continue;
      }
      try {
        if (CommitMarkers.committed(d, hadoop, SparkExecutor.commitTag(r.runId(), output)).isPresent()) {
          committed.add(output);
          if (out != null) {
            out.println("'" + output + "' was committed by the failed run (its commit is at " + Secrets.mask(d.location())
                + " though the run state missed it): not written again");
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        // Unreadable: the state file decides, as before markers existed.
      }
    }
    return committed;
  }

  /**
   * For each committed append sink that a resumed pipe reads: only the rows the failed run appended
   * (the files its commit marker lists), not the location's whole history.
   */
  private static Map<String, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>> appendedByTheFailedRun(ExecutionPlan plan,
      Selection selection, List<String> committed, String runId, SparkSession spark, PrintWriter err) {
    Set<String> read = new LinkedHashSet<>();
    for (int index : selection.pipes()) {
      read.addAll(plan.pipe(index).declaration().inputDataId());
    }
    Map<String, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>> sources = new LinkedHashMap<>();
    io.ddp.io.SparkDatasetIO datasetIO = io.ddp.io.DeclaredIO.load(Thread.currentThread().getContextClassLoader());
    for (String id : committed) {
      DataDeclare d = plan.data(id);
      if (d == null || !read.contains(id) || d.mode() != io.ddp.core.model.WriteMode.APPEND) {
        continue;
      }
      Optional<List<String>> files;
      try {
        files = CommitMarkers.committed(d, spark.sparkContext().hadoopConfiguration(), SparkExecutor.commitTag(runId, id));
      } catch (java.io.IOException e) {
        files = Optional.empty();
      }
      if (files.isEmpty()) {
        err.println("ddp run --resume: '" + id + "' is appended to, and the failed run's commit record is not at its location:"
            + " the resumed pipes read all of it, earlier runs' rows included");
        continue;
      }
      List<String> names = files.get().stream().map(f -> f.substring(f.lastIndexOf('/') + 1)).toList();
      sources.put(id, datasetIO.read(spark, d).where(org.apache.spark.sql.functions.substring_index(
          org.apache.spark.sql.functions.input_file_name(), "/", -1).isin(names.toArray())));
    }
    return sources;
  }

  private static void printOutcomes(RunResult result, PrintWriter err) {
    if (result == null) {
      return;
    }
    for (RunResult.PipeOutcome o : result.pipes()) {
      if (o.status() != RunResult.Status.SUCCEEDED) {
        err.println("  " + o.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + o.label());
      }
    }
    result.sinks().forEach(s -> err.println("  committed: " + s.dataId() + " -> " + s.location()));
  }

  private void printDryRun(ExecutionPlan plan, Selection selection, List<String> missing, PrintWriter out) {
    RunGraph graph = RunGraph.of(selection, true);
    out.println("Dry run of " + plan.pipeline().name() + ": " + selection.pipes().size() + " of " + plan.order().size()
        + " pipes; nothing is run");
    for (String id : selection.readFromLocation()) {
      DataDeclare d = plan.data(id);
      out.println("read   " + id + " (" + d.format() + ") " + Secrets.mask(d.location()));
    }
    for (Stage stage : plan.stages()) {
      for (PlannedPipe p : stage.pipes()) {
        if (selection.contains(p.index())) {
          out.println("stage " + stage.number() + ": " + p.describe());
        }
      }
    }
    for (RunGraph.Step s : graph.steps()) {
      if (graph.persisted(s.dataId())) {
        out.println("keep   " + s.dataId() + " (" + graph.consumers(s.dataId()) + " consumers, persist "
            + plan.data(s.dataId()).persist() + ")");
      }
    }
    for (RunGraph.Step s : graph.steps()) {
      if (graph.written(s.dataId())) {
        DataDeclare d = plan.data(s.dataId());
        out.println("write  " + s.dataId() + " (" + d.format() + ", " + d.mode() + ") " + Secrets.mask(d.location()));
      }
    }
    out.println(missing.isEmpty() ? "OK: every input is there" : missing.size() + " input problem(s)");
  }

  /** The same command with --resume, quoted for a POSIX shell. */
  String resumeCommand() {
    List<String> args = new ArrayList<>();
    String launcher = System.getenv("DDP_LAUNCHER");
    if (launcher != null && !launcher.isBlank()) {
      args.add(launcher);
    } else if (System.getProperty("spark.master") != null) {
      args.add("spark-submit [your spark-submit options] --class io.ddp.spark.DdpMain <ddp runner jar>");
    } else {
      args.add("ddp");
    }
    args.add("run");
    args.add(quote(pipeline.file.toString()));
    // Secret values are never printed: the user gives them again where the command shows ***.
    pipeline.vars.forEach((k, v) -> args.add("--var " + quote(Secrets.assignment(k, v))));
    conf.forEach((k, v) -> args.add("--conf " + quote(Secrets.assignment(k, v))));
    if (master != null) {
      args.add("--master " + quote(master));
    }
    if (parallelism != RunOptions.DEFAULT_PARALLELISM) {
      args.add("--parallelism " + parallelism);
    }
    if (!stateDir.toString().equals(".ddp/state")) {
      args.add("--state-dir " + quote(stateDir.toString()));
    }
    args.add("--resume");
    return String.join(" ", args);
  }

  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
