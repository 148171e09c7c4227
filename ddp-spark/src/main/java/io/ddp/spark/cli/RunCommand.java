package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.MetricsConfig;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Selection;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Secrets;
import io.ddp.core.validate.Problem;
import io.ddp.io.InputCheck;
import org.apache.hadoop.conf.Configuration;
import io.ddp.metrics.MetricSink;
import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.RunListener;
import io.ddp.spark.exec.RunOptions;
import io.ddp.spark.exec.RunReport;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.exec.SparkExecutor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
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
        "ID (for --from, --to, --only) is a dataId, a pipe name, or a pipe index such as 3."})
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

  @Option(names = "--timings", description = {"Print where the run's wall-clock time went: launcher, JVM and Spark start, validation,",
      "schema checks, each pipe, each sink's write and commit, each model load, the end of the run."})
  boolean timings;

  @Option(names = {"-v", "--verbose"}, description = "Also show what the run is doing: its plan, each pipe's start, progress"
      + " samples, built-in metrics, and Spark's own log (by default: each pipe's end, the declared metrics, warnings and errors).")
  boolean verbose;

  @Option(names = "--resume", description = "After a failed run: run only what did not complete; committed sinks are read back.")
  boolean resume;

  @Option(names = "--dry-run", description = "Validate, plan, check that inputs exist; start no Spark job.")
  boolean dryRun;

  @Option(names = "--parallelism", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_PARALLELISM,
      description = "Pipes that may run at once (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:DDP_STATE_DIR:-.ddp/state}",
      description = {"Where run state for --resume is kept (default: ${DEFAULT-VALUE}; env DDP_STATE_DIR).",
          "A directory or a Hadoop URI, e.g. s3a://bucket/ddp/state for a driver in cluster mode."})
  String stateDir;

  @Option(names = "--metrics-sink", paramLabel = "TYPE[:KEY=VALUE,...]",
      description = {"Publish metrics here instead of the pipeline's metricsConfig.sinks. Repeatable. E.g. log,",
          "jsonl:path=metrics.jsonl, cloudwatch:namespace=DDP,region=eu-west-1."})
  List<String> metricSinks = new ArrayList<>();

  @Option(names = "--metrics-interval", paramLabel = "SECONDS", description = "How often metrics are published (default: metricsConfig.intervalSeconds, 30).")
  Integer metricsInterval;

  @Option(names = "--report", paramLabel = "FILE", description = {"Where the JSON run report goes (default: metricsConfig.report, else",
      ".ddp/reports/PIPELINE.json); a path or a Hadoop URI (s3a://, hdfs://)."})
  String report;

  @Option(names = "--viz", paramLabel = "FILE", description = {"Draw the DAG with live status to FILE (.svg, .png or .dot), redrawn as pipes",
      "change state; a path or a Hadoop URI (s3a://, hdfs://)."})
  String viz;

  @Option(names = "--profile", description = {"Sample the executors' task threads and tell where their time went: each",
      "pipe's own code and each kind of Spark work (read, write, shuffle, ...), after the summary and in the report."})
  boolean profile;

  @Spec
  CommandSpec spec;

  /** The phases of this run, for --timings. */
  private Timings clock;
  /** Whether the run got as far as taking its Spark session (else an early one is abandoned). */
  private boolean sessionUsed;

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
    clock = new Timings();
    EarlyStart[] early = {null};
    PipelineLoader.Loaded loaded = PipelineFile.load(pipeline.source(), pipeline.vars, conf, err, read -> {
      if (read != null && !dryRun) {
        early[0] = EarlyStart.begin(read, conf, Optional.ofNullable(master));
      }
    });
    EarlyStart start = early[0] != null ? early[0] : EarlyStart.begin(null, conf, Optional.ofNullable(master));
    try {
      return loaded.hasErrors() ? DdpCommand.EXIT_INVALID : checked(loaded, start, err, out);
    } finally {
      if (!sessionUsed) {
        start.abandon();
      }
    }
  }

  private int checked(PipelineLoader.Loaded loaded, EarlyStart early, PrintWriter err, PrintWriter out) {
    ExecutionPlan plan = loaded.plan();
    Map<String, String> sparkConf = new LinkedHashMap<>(plan.pipeline().spark());
    sparkConf.putAll(conf);
    Configuration driverFiles = PipelineSource.hadoopConf(sparkConf);
    String stateFile = RunState.fileFor(stateDir, pipeline.source().identity(), plan.pipeline().name());
    Optional<Resumption> resumption = Optional.empty();
    Selection selection;
    try {
      if (resume) {
        resumption = Resumption.of(plan, pipeline.file, stateDir, stateFile, driverFiles, out);
        if (resumption.isEmpty()) {
          return DdpCommand.EXIT_OK;
        }
        selection = resumption.get().selection();
      } else {
        selection = from == null && to == null && only == null ? Selection.all(plan)
            : Selection.partial(plan, Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(only));
      }
    } catch (Resumption.Refused e) {
      err.println("ddp run --resume: " + e.getMessage());
      return DdpCommand.EXIT_INVALID;
    } catch (DdpException e) {
      err.println("ddp run: " + e.getMessage());
      return DdpCommand.EXIT_INVALID;
    }
    List<String> unavailable = selection.unavailableInputs();
    if (!unavailable.isEmpty() && !dryRun) {
      unavailable.forEach(m -> err.println("ddp run: " + m));
      err.println("ddp run: nothing was run");
      err.flush();
      return DdpCommand.EXIT_INVALID;
    }
    // The same Hadoop settings as every driver file: spark-submit's spark.hadoop.* too (credentials, endpoints).
    List<String> missing = InputCheck.problems(selection, Set.of(), driverFiles);
    if (dryRun) {
      DryRun.print(plan, selection, missing, out);
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
    MetricsConfig mc = plan.pipeline().metricsConfig();
    List<MetricSink> sinks;
    try {
      sinks = MetricsWiring.sinks(metricSinks.isEmpty() ? mc.sinks() : MetricsWiring.parse(metricSinks), driverFiles);
    } catch (IllegalArgumentException e) {
      err.println("ddp run: " + e.getMessage());
      err.flush();
      return DdpCommand.EXIT_INVALID;
    }
    clock.phase("read and validate the pipeline, check inputs");
    sessionUsed = true;
    try (RunSession session = RunSession.open(plan, early)) {
      clock.phase("Spark session start");
      SparkExecutor executor;
      try {
        executor = SparkExecutor.builder(session.spark()).build();
      } catch (RuntimeException e) { // a Guice module on the class path that cannot be set up
        err.println("ddp run: cannot prepare the pipes: " + Secrets.mask(Messages.rootCause(e)) + "; nothing was run");
        err.flush();
        return DdpCommand.EXIT_FAILED;
      }
      List<Problem> schemaProblems = executor.checkSchemas(plan).problems();
      clock.phase("schema checks (pipes prepared, SQL analysed)");
      schemaProblems.forEach(p -> err.println(p.format(loaded.sources())));
      err.flush();
      if (schemaProblems.stream().anyMatch(Problem::isError)) {
        err.println(pipeline.file + ": " + schemaProblems.stream().filter(Problem::isError).count()
            + " schema error(s); nothing was run");
        err.flush();
        return DdpCommand.EXIT_INVALID;
      }
      return execute(session, executor, plan, selection, resumption, stateFile, driverFiles, sinks, out, err);
    }
  }

  /** Runs the selection in the session, and records how it ended: state, report, metrics, resume hint. */
  private int execute(RunSession session, SparkExecutor executor, ExecutionPlan plan, Selection selection, Optional<Resumption> resumption,
      String stateFile, Configuration driverFiles, List<MetricSink> sinks, PrintWriter out, PrintWriter err) {
    MetricsConfig mc = plan.pipeline().metricsConfig();
    String reportFile = report != null ? report
        : mc.report() != null ? mc.report() : Path.of(".ddp", "reports", plan.pipeline().name() + ".json").toString();
    // The original run's id tags the commits of every resumption, so a later resume finds them.
    String runId = resumption.map(Resumption::runId).orElseGet(() -> UUID.randomUUID().toString().substring(0, 8));
    List<RunListener> listeners = session.startMetrics(sinks,
        Duration.ofSeconds(metricsInterval != null ? metricsInterval : mc.intervalSeconds()), Duration.ofSeconds(mc.progressSeconds()),
        viz, driverFiles);
    Set<Integer> selected = resumption.map(Resumption::selected).orElse(selection.pipes());
    RunState state = RunState.start(stateFile, driverFiles, pipeline.source().identity(), plan, runId, selected)
        .carryOver(resumption.map(Resumption::reused).orElse(List.of()));
    Optional<RunLog> log = RunLog.start(stateFile, plan.pipeline().name(), runId,
        plan.order().stream().filter(p -> selected.contains(p.index())).toList());
    // An interrupt (the caller stopping the run) is held back while the end is recorded, so the last
    // metrics, the report and the state are written whole; the caller gets it back at the end.
    boolean interrupted = false;
    try {
      RunOptions.Builder builder = RunOptions.builder().selection(selection).parallelism(parallelism).listener(state)
          .commitRunId(runId).schemasChecked(true).profile(profile && profilerLoaded(session, err));
      listeners.forEach(builder::listener);
      log.ifPresent(builder::listener);
      resumption.ifPresent(r -> Resumption.appendedByTheFailedRun(plan, selection, r.reused(), runId, session.spark(), err)
          .forEach(builder::source));
      RunResult result = executor.run(plan, builder.build());
      clock.phase("run: pipes, sinks, models");
      interrupted = Thread.interrupted();
      session.finishMetrics();
      writeReport(reportFile, driverFiles, result, "succeeded", null, err);
      recordEnd(state, true, null, err);
      log.ifPresent(l -> l.end("succeeded", null, reportFile));
      clock.phase("end of run: last metrics, report, state");
      out.println(result.summary());
      printWork(result, out);
      printExpectations(result, out);
      out.println("report: " + reportFile);
      if (timings) {
        clock.print(result, out);
      }
      out.flush();
      return DdpCommand.EXIT_OK;
    } catch (PipeFailedException e) {
      interrupted = Thread.interrupted();
      String message = Secrets.mask(e.getMessage());
      session.finishMetrics();
      writeReport(reportFile, driverFiles, e.result(), "failed", message, err);
      recordEnd(state, false, message, err);
      log.ifPresent(l -> l.end("failed", message, reportFile));
      err.println("ddp run: " + message);
      printOutcomes(e.result(), err);
      printExpectations(e.result(), err);
      printResumeHint(err);
      return DdpCommand.EXIT_FAILED;
    } catch (RuntimeException e) {
      // Not a pipe's failure (DDP's own fault, or the JVM's): the run still ends as failed, on record.
      interrupted = Thread.interrupted();
      String message = Secrets.mask(String.valueOf(e));
      recordEnd(state, false, message, err);
      log.ifPresent(l -> l.end("failed", message, null));
      err.println("ddp run: the run ended abnormally: " + message);
      printResumeHint(err);
      return DdpCommand.EXIT_FAILED;
    } finally {
      log.ifPresent(RunLog::close);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the session can sample tasks (DDP's sessions can; one made elsewhere may lack the plugin). */
  private static boolean profilerLoaded(RunSession session, PrintWriter err) {
    String plugins = session.spark().sparkContext().getConf().get("spark.plugins", "");
    if (java.util.Arrays.asList(plugins.split(",")).contains(io.ddp.spark.profile.PipeProfiler.class.getName())) {
      return true;
    }
    err.println("ddp run --profile: this Spark session was started without " + io.ddp.spark.profile.PipeProfiler.class.getName()
        + " in spark.plugins; add it (--conf spark.plugins=...) to profile; running without");
    err.flush();
    return false;
  }

  private static void printWork(RunResult result, PrintWriter out) {
    if (result != null && !result.work().isEmpty()) {
      double total = result.work().stream().mapToDouble(io.ddp.spark.profile.WorkProfile.Part::seconds).sum();
      out.printf(java.util.Locale.ROOT, "where the tasks' %.1f s went (sampled): %s%n", total,
          io.ddp.spark.profile.WorkProfile.describe(result.work()));
    }
  }

  private void printResumeHint(PrintWriter err) {
    err.println("To resume after fixing the cause (committed sinks are kept; the rest runs again):");
    String command = resumeCommand();
    err.println("  " + command);
    if (command.contains(Secrets.MASK)) {
      err.println("  (secret values are shown as " + Secrets.MASK + ": give them again)");
    }
    err.flush();
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

  private static void writeReport(String reportFile, Configuration conf, RunResult result, String status, String error,
      PrintWriter err) {
    if (result != null) {
      try {
        RunReport.write(reportFile, conf, result, status, error);
      } catch (DdpException e) {
        err.println("ddp run: " + e.getMessage());
      }
    }
  }

  /** The expectations that found violations, as a short table (nothing when none did). */
  private static void printExpectations(RunResult result, PrintWriter out) {
    if (result == null) {
      return;
    }
    String table = result.expectationTable(false);
    if (!table.isEmpty()) {
      out.println("expectations with violations:");
      out.print(table);
    } else if (!result.expectations().isEmpty()) {
      out.println("expectations: all " + result.expectations().size() + " met");
    }
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
    args.add(quote(pipeline.file));
    // Secret values are never printed: the user gives them again where the command shows ***.
    pipeline.vars.forEach((k, v) -> args.add("--var " + quote(Secrets.assignment(k, v))));
    conf.forEach((k, v) -> args.add("--conf " + quote(Secrets.assignment(k, v))));
    if (master != null) {
      args.add("--master " + quote(master));
    }
    if (parallelism != RunOptions.DEFAULT_PARALLELISM) {
      args.add("--parallelism " + parallelism);
    }
    if (!stateDir.equals(".ddp/state")) {
      args.add("--state-dir " + quote(stateDir));
    }
    args.add("--resume");
    return String.join(" ", args);
  }

  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
