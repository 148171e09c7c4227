package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.RunPlan;
import io.ddp.core.plan.Selection;
import io.ddp.core.text.Messages;
import io.ddp.io.SparkDatasetIO;
import io.ddp.spark.SparkPipeContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of a run plan: a dependency-counting scheduler. A step (a source read or a pipe)
 * starts on a pool thread as soon as the steps it depends on are done, in its own FAIR pool and job
 * group; the first failure (or an interrupt of the calling thread) cancels the running steps' jobs,
 * waits for them, and starts nothing more. The scheduling state is confined to the calling thread;
 * datasets and metrics are shared with the step threads through {@link RunDatasets} and
 * {@link RunMetrics}.
 */
final class PipelineRun {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);
  /** What a run is doing (its plan, each pipe's start, the summary the command line prints anyway): shown with -v. */
  private static final Logger STEPS = LoggerFactory.getLogger(SparkExecutor.PROGRESS_LOGGER);
  /** Local property Spark reads to pick a FAIR scheduler pool for the jobs of a thread. */
  static final String POOL_PROPERTY = "spark.scheduler.pool";

  /** Set once the run cancels its running steps; read by the step threads to tell why they end. */
  private volatile boolean cancelling;
  private final SparkSession spark;
  private final PipeFactory pipes;
  private final ExecutionPlan plan;
  private final RunPlan runPlan;
  private final RunOptions options;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final RunEvents events;
  private final RunMetrics metrics;
  private final RunDatasets datasets;
  private final int total;
  private final AtomicInteger started = new AtomicInteger();
  private final Map<String, Integer> waitingInputs = new HashMap<>();
  private final Map<String, Integer> waitingReaders = new HashMap<>();
  private final Map<String, List<String>> dependents = new HashMap<>();
  private final Map<String, RunResult.PipeOutcome> outcomes = new LinkedHashMap<>();
  /** With --profile: the label(s) of the pipes applied so far, by pipe class. */
  private final Map<String, String> profiled = new java.util.concurrent.ConcurrentHashMap<>();
  private boolean interrupted;
  /** What was running when the scheduler was interrupted (a run's interruption is no single pipe's failure). */
  private List<String> interruptedWhile;

  private record StepResult(RunPlan.Step step, Duration duration, Throwable error, String message) {}

  PipelineRun(SparkSession spark, PipeFactory pipes, SparkDatasetIO io, ExecutionPlan plan, RunPlan runPlan, RunOptions options) {
    this.spark = spark;
    this.pipes = pipes;
    this.plan = plan;
    this.runPlan = runPlan;
    this.options = options;
    this.events = new RunEvents(options.listeners());
    this.metrics = new RunMetrics(spark, plan, runPlan, events);
    this.datasets = new RunDatasets(spark, plan, runPlan, options, io, metrics, events, runId);
    this.total = runPlan.selection().pipes().size();
    for (RunPlan.Step s : runPlan.steps()) {
      waitingInputs.put(s.dataId(), s.dependsOn().size());
      waitingReaders.put(s.dataId(), runPlan.neededUntil(s.dataId()).size());
      for (String in : s.dependsOn()) {
        dependents.computeIfAbsent(in, k -> new ArrayList<>()).add(s.dataId());
      }
    }
  }

  RunResult execute() {
    String name = plan.pipeline().name();
    STEPS.info("Pipeline {} (run {}): {} of {} pipes, up to {} at once{}", name, runId, total, plan.order().size(),
        options.parallelism(), selection().isAll() ? "" : ", reading " + selection().readFromLocation() + " from their locations");
    long t0 = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(options.parallelism(), daemonThreads());
    CompletionService<StepResult> done = new ExecutorCompletionService<>(threads);
    Map<String, RunPlan.Step> running = new LinkedHashMap<>();
    StepResult failure = null;
    try {
      for (RunPlan.Step s : runPlan.steps()) {
        if (waitingInputs.get(s.dataId()) == 0) {
          running.put(s.dataId(), s);
          done.submit(() -> runStep(s));
        }
      }
      while (!running.isEmpty()) {
        StepResult r = take(done);
        if (r == null) {
          // Interrupted: stop the running pipes, and go on collecting them as failures.
          if (failure == null) {
            interruptedWhile = running.values().stream().map(PipelineRun::describe).toList();
            failure = new StepResult(running.values().iterator().next(), Duration.ZERO,
                new InterruptedException("the run was interrupted"), "the run was interrupted");
          }
          cancel(running);
          continue;
        }
        running.remove(r.step.dataId());
        if (r.step.kind() == RunPlan.Kind.PIPE) {
          RunResult.Status status = r.error == null ? RunResult.Status.SUCCEEDED
              : failure != null ? RunResult.Status.CANCELLED : RunResult.Status.FAILED;
          record(new RunResult.PipeOutcome(r.step.pipe().index(), r.step.label(), status, r.duration,
              r.error == null ? null : r.message, metrics.outputRows(r.step.dataId())));
          metrics.pipeEnded(r.step.pipe(), status, r.duration);
        }
        if (r.error != null && failure == null) {
          failure = r;
          cancel(running);
        }
        if (failure == null) {
          for (String next : dependents.getOrDefault(r.step.dataId(), List.of())) {
            if (waitingInputs.merge(next, -1, Integer::sum) == 0) {
              RunPlan.Step s = runPlan.step(next);
              running.put(next, s);
              done.submit(() -> runStep(s));
            }
          }
        }
        for (String d : runPlan.releasedAfter(r.step.dataId())) {
          if (waitingReaders.merge(d, -1, Integer::sum) == 0) {
            datasets.release(d);
          }
        }
      }
    } finally {
      threads.shutdownNow();
      datasets.releaseAll();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    metrics.codeMetricsEnded();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (failure != null) {
      throw failed(failure, took);
    }
    RunResult result = result(took);
    STEPS.info("{}", result.summary());
    return result;
  }

  private PipeFailedException failed(StepResult failure, Duration took) {
    for (PlannedPipe p : selection().order()) {
      if (!outcomes.containsKey(p.label())) {
        record(new RunResult.PipeOutcome(p.index(), p.label(), RunResult.Status.SKIPPED, Duration.ZERO, null, -1));
        LOG.warn("skipped {}", p.label());
      }
    }
    RunPlan.Step s = failure.step;
    if (interruptedWhile != null) {
      return new PipeFailedException(indexOf(s), "The run was interrupted while " + String.join(", ", interruptedWhile)
          + " ran: they were cancelled and nothing after them was started", failure.error, result(took));
    }
    String what = s.kind() == RunPlan.Kind.PIPE ? "Pipe " + s.pipe().label() : "Reading dataset '" + s.dataId() + "'";
    return new PipeFailedException(indexOf(s), what + " failed: " + failure.message, failure.error, result(took));
  }

  private void cancel(Map<String, RunPlan.Step> running) {
    cancelling = true;
    running.values().forEach(s -> spark.sparkContext().cancelJobGroup(jobGroup(s)));
  }

  private static String describe(RunPlan.Step s) {
    return s.kind() == RunPlan.Kind.PIPE ? "pipe " + s.pipe().label() : "reading dataset '" + s.dataId() + "'";
  }

  /** The index of a step's pipe, or of the first pipe reading a step's dataset. */
  private int indexOf(RunPlan.Step s) {
    return s.kind() == RunPlan.Kind.PIPE ? s.pipe().index()
        : selection().order().stream().filter(p -> p.declaration().inputDataId().contains(s.dataId()))
            .findFirst().map(PlannedPipe::index).orElse(0);
  }

  private Selection selection() {
    return runPlan.selection();
  }

  private RunResult result(Duration took) {
    List<RunResult.PipeOutcome> ordered = new ArrayList<>(outcomes.values());
    ordered.sort(Comparator.comparingInt(RunResult.PipeOutcome::index));
    return new RunResult(plan.pipeline().name(), runId, ordered, datasets.writes(), datasets.quarantines(), datasets.expectations(),
        metrics.data(), datasets.captured(), took, work());
  }

  /** With --profile: what the executors sampled of this run's jobs. */
  private List<io.ddp.spark.profile.WorkProfile.Part> work() {
    if (!options.profile()) {
      return List.of();
    }
    try {
      Thread.sleep(300); // executors send a task's samples as it ends: let the last ones arrive
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> labels = selection().order().stream().map(PlannedPipe::label).toList();
    java.util.Set<String> pipeParts = new java.util.HashSet<>(profiled.values());
    pipeParts.addAll(labels);
    return io.ddp.spark.profile.WorkProfile.take("ddp-" + runId + "-", pipeParts);
  }

  private void record(RunResult.PipeOutcome outcome) {
    outcomes.put(outcome.label(), outcome);
    events.tell(l -> l.pipeFinished(outcome));
  }

  /**
   * The next finished step, or null once when the scheduler thread is interrupted; then it waits for
   * the rest without being interrupted again, so nothing is released or committed behind a running
   * pipe, and the interrupt is restored for the caller.
   */
  private StepResult take(CompletionService<StepResult> done) {
    if (interrupted) {
      return takeUninterruptibly(done);
    }
    try {
      return done.take().get();
    } catch (InterruptedException e) {
      interrupted = true;
      LOG.error("Run of {} was interrupted: cancelling its running pipes", plan.pipeline().name());
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a step escaped its own error handling", e.getCause());
    }
  }

  private static StepResult takeUninterruptibly(CompletionService<StepResult> done) {
    while (true) {
      try {
        return done.take().get();
      } catch (InterruptedException again) {
        // keep waiting: the steps are cancelled and end soon
      } catch (ExecutionException e) {
        throw new IllegalStateException("a step escaped its own error handling", e.getCause());
      }
    }
  }

  /** Runs one step on a pool thread; never throws, so the scheduler always hears back. */
  private StepResult runStep(RunPlan.Step step) {
    SparkContext sc = spark.sparkContext();
    long t0 = System.nanoTime();
    String label = step.label();
    boolean isPipe = step.kind() == RunPlan.Kind.PIPE;
    sc.setLocalProperty(POOL_PROPERTY, pool(step));
    sc.setJobGroup(jobGroup(step), "ddp " + plan.pipeline().name() + ": " + label, true);
    try {
      Dataset<Row> out;
      if (isPipe) {
        int n = started.incrementAndGet();
        STEPS.info("[{}/{}] start {} (stage {})", n, total, label, step.pipe().stage());
        events.tell(l -> l.pipeStarted(step.pipe()));
        out = applyPipe(step.pipe());
      } else {
        out = datasets.readSource(step.dataId());
      }
      if (options.profile()) {
        // The step's jobs run the code of this pipe and of every pipe upstream of it: all applied by now.
        sc.setLocalProperty(io.ddp.spark.profile.PipeProfiler.CLASSES, io.ddp.spark.profile.WorkProfile.request(profiled));
      }
      String detail = datasets.materialize(step, out);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      if (isPipe) {
        LOG.info("[{}/{}] done  {} in {}{}", started.get(), total, label, RunResult.seconds(took), detail);
      }
      return new StepResult(step, took, null, null);
    } catch (Exception | Error e) {
      // Errors too (NoClassDefFoundError, UnsatisfiedLinkError, OutOfMemoryError): the scheduler must
      // hear of every failure, to cancel the other pipes and wait for them before releasing anything.
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      String message = describe(e);
      if (cancelling) {
        // Stopped by the run, after another step failed or the run was interrupted: not a failure of its own.
        LOG.warn("{} {} after {}: {}", isPipe ? "CANCELLED" : "CANCELLED reading", label, RunResult.seconds(took), message);
      } else {
        LOG.error("{} {} after {}: {}", isPipe ? "FAILED" : "FAILED reading", label, RunResult.seconds(took), message);
      }
      return new StepResult(step, took, e, message);
    } finally {
      sc.clearJobGroup();
      sc.setLocalProperty(POOL_PROPERTY, null);
      sc.setLocalProperty(io.ddp.spark.profile.PipeProfiler.CLASSES, null);
    }
  }

  private Dataset<Row> applyPipe(PlannedPipe p) {
    TransformerDeclare decl = p.declaration();
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    for (String id : decl.inputDataId()) {
      inputs.put(id, datasets.get(id));
    }
    PipeFactory.Instance instance = pipes.create(p.label(), decl.transformerType(), decl.paramsView());
    if (options.profile()) {
      profiled.merge(codeClass(instance.pipe().getClass()), p.label(), (a, b) -> a + " + " + b);
    }
    SparkPipeContext ctx = SparkPipeContext.of(spark, plan.pipeline().name(), p.index(), decl,
        datasets.cleanupsOf(decl.outputDataId())::push, metrics.forPipe(p));
    Dataset<Row> out = instance.pipe().apply(PipeInputs.of(p.label(), inputs), instance.params(), ctx);
    return PipeOutput.check(out, plan.data(decl.outputDataId()), p.label());
  }

  /** The class whose methods hold a pipe's code: for a lambda, the class that wrote it. */
  static String codeClass(Class<?> pipeClass) {
    String name = pipeClass.getName();
    int lambda = name.indexOf("$$Lambda");
    return lambda > 0 ? name.substring(0, lambda) : name;
  }

  private String pool(RunPlan.Step step) {
    return "ddp." + plan.pipeline().name() + "." + (step.kind() == RunPlan.Kind.PIPE ? "#" + step.pipe().index() : step.dataId());
  }

  private String jobGroup(RunPlan.Step step) {
    return "ddp-" + runId + "-" + (step.kind() == RunPlan.Kind.PIPE ? step.pipe().index() : step.dataId());
  }

  private static String describe(Throwable e) {
    java.util.Optional<String> shipping = ExecutorFailures.explain(e);
    if (shipping.isPresent()) {
      return shipping.get();
    }
    String cause = Messages.rootCause(e);
    if (!(e instanceof DdpException)) {
      return cause;
    }
    String message = Messages.firstLine(e.getMessage());
    Throwable root = Messages.root(e);
    boolean shown = root == e || message.contains(cause) || message.contains(Messages.firstLine(root.getMessage()));
    return shown ? message : message + " (root cause: " + cause + ")";
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "ddp-pipe-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
