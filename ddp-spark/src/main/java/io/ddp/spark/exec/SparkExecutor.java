package io.ddp.spark.exec;

import com.google.inject.Module;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.metrics.MetricDatum;
import io.ddp.metrics.MetricEvaluator;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.RunGraph;
import io.ddp.core.plan.Selection;
import io.ddp.io.SparkErrors;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import io.ddp.io.DeclaredIO;
import io.ddp.io.ReadContext;
import io.ddp.io.SparkDatasetIO;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan in one SparkSession. Reads sources as declared, applies each pipe as soon as its
 * inputs are ready (several at once, each in its own FAIR scheduler pool and job group), checks
 * outputs against their declared schemas, persists datasets that several consumers read so they are
 * computed once, releases them after their last reader, and writes sinks atomically.
 *
 * <pre>{@code
 * SparkExecutor executor = SparkExecutor.builder(spark).build();
 * RunResult result = executor.run(plan);
 * }</pre>
 */
public final class SparkExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);
  /** Local property Spark reads to pick a FAIR scheduler pool for the jobs of a thread. */
  static final String POOL_PROPERTY = "spark.scheduler.pool";

  private final SparkSession spark;
  private final PipeFactory pipes;
  private final SparkDatasetIO datasetIO;

  private SparkExecutor(SparkSession spark, PipeFactory pipes, SparkDatasetIO datasetIO) {
    this.spark = spark;
    this.pipes = pipes;
    this.datasetIO = datasetIO;
  }

  public static Builder builder(SparkSession spark) {
    return new Builder(spark);
  }

  /** Configures an executor; every setting has a default. */
  public static final class Builder {
    private final SparkSession spark;
    private PipeTypes types;
    private SparkDatasetIO datasetIO;
    private final List<Module> modules = new ArrayList<>();
    private ClassLoader loader = Thread.currentThread().getContextClassLoader();

    private Builder(SparkSession spark) {
      this.spark = Objects.requireNonNull(spark, "SparkExecutor.builder(spark) called with null spark");
    }

    /** Where transformer types resolve; by default every provider on the class path. */
    public Builder pipeTypes(PipeTypes value) {
      this.types = value;
      return this;
    }

    /** How datasets are read and written; by default Spark's file formats. */
    public Builder io(SparkDatasetIO value) {
      this.datasetIO = Objects.requireNonNull(value, "Builder.io(value) called with null");
      return this;
    }

    /** Extra Guice modules for pipe injection, on top of those found with ServiceLoader. */
    public Builder module(Module module) {
      modules.add(module);
      return this;
    }

    public Builder classLoader(ClassLoader value) {
      this.loader = value;
      return this;
    }

    public SparkExecutor build() {
      PipeTypes t = types != null ? types : PipeTypes.load(loader, SparkPipe.class);
      SparkDatasetIO io = datasetIO != null ? datasetIO : DeclaredIO.load(loader);
      return new SparkExecutor(spark, new PipeFactory(t, spark, modules, loader), io);
    }
  }

  /** Runs every pipe of the plan with the default options. */
  public RunResult run(ExecutionPlan plan) {
    return run(plan, RunOptions.defaults());
  }

  /**
   * Runs the selected part of the plan.
   *
   * @throws PipeFailedException naming the first pipe that failed (index, type, output) and the root
   *     cause, after running pipes were cancelled and everything the run kept was released
   */
  public RunResult run(ExecutionPlan plan, RunOptions options) {
    Selection selection = options.selection() != null ? options.selection() : Selection.all(plan);
    List<io.ddp.core.validate.Problem> problems = StaticSchemaCheck.check(plan, spark);
    if (problems.stream().anyMatch(io.ddp.core.validate.Problem::isError)) {
      throw new io.ddp.core.exceptions.InvalidPipelineException(problems, io.ddp.core.json.SourceMap.EMPTY);
    }
    RunGraph graph = RunGraph.of(selection, !options.captureOutputs());
    datasetIO.prepare(spark, plan.data().values());
    return new Run(plan, graph, options).execute();
  }

  /** One execution: its state lives here, and every field is touched by the scheduling thread only unless noted. */
  private final class Run {
    private final ExecutionPlan plan;
    private final RunGraph graph;
    private final RunOptions options;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean interrupted;
    /** What was running when the scheduler was interrupted (a run's interruption is no single pipe's failure). */
    private List<String> interruptedWhile;
    private final java.util.Set<String> unobserved = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int total;
    /** Produced data by dataId; written by step threads, read once a step's inputs are done. */
    private final Map<String, Dataset<Row>> data = new ConcurrentHashMap<>();
    /** Datasets this run persisted (never user-cached ones), to unpersist on release. */
    private final Map<String, Boolean> persistedByRun = new ConcurrentHashMap<>();
    /** Plain metrics observed while readers compute their dataset ("persist": "none"); collected on release. */
    private final Map<String, MetricEvaluator.Observed> pendingObservations = new ConcurrentHashMap<>();
    private final Map<String, Deque<AutoCloseable>> cleanups = new ConcurrentHashMap<>();
    private final Map<String, Dataset<Row>> captured = new ConcurrentHashMap<>();
    private final List<RunResult.SinkWrite> writes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<RunResult.Quarantine> quarantines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<MetricDatum> metricData = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> outputRows = new ConcurrentHashMap<>();
    private final Map<CodeMetric, org.apache.spark.util.LongAccumulator> counters = new ConcurrentHashMap<>();
    private final Map<CodeMetric, Double> gauges = new ConcurrentHashMap<>();
    private final Map<String, Integer> waitingInputs = new HashMap<>();
    private final Map<String, Integer> waitingReaders = new HashMap<>();
    private final Map<String, List<String>> dependents = new HashMap<>();
    private final Map<String, RunResult.PipeOutcome> outcomes = new LinkedHashMap<>();
    private final AtomicInteger started = new AtomicInteger();

    Run(ExecutionPlan plan, RunGraph graph, RunOptions options) {
      this.plan = plan;
      this.graph = graph;
      this.options = options;
      this.total = graph.selection().pipes().size();
      for (RunGraph.Step s : graph.steps()) {
        waitingInputs.put(s.dataId(), s.dependsOn().size());
        waitingReaders.put(s.dataId(), graph.neededUntil(s.dataId()).size());
        for (String in : s.dependsOn()) {
          dependents.computeIfAbsent(in, k -> new ArrayList<>()).add(s.dataId());
        }
      }
    }

    RunResult execute() {
      String name = plan.pipeline().name();
      LOG.info("Pipeline {} (run {}): {} of {} pipes, up to {} at once{}", name, runId, total, plan.order().size(),
          options.parallelism(), selection().isAll() ? "" : ", reading " + selection().readFromLocation() + " from their locations");
      long t0 = System.nanoTime();
      ExecutorService threads = Executors.newFixedThreadPool(options.parallelism(), daemonThreads());
      CompletionService<StepResult> done = new ExecutorCompletionService<>(threads);
      Map<String, RunGraph.Step> running = new LinkedHashMap<>();
      StepResult failure = null;
      try {
        for (RunGraph.Step s : graph.steps()) {
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
              interruptedWhile = running.values().stream().map(this::describeStep).toList();
              failure = new StepResult(running.values().iterator().next(), Duration.ZERO,
                  new InterruptedException("the run was interrupted"), "the run was interrupted");
            }
            running.values().forEach(s -> spark.sparkContext().cancelJobGroup(jobGroup(s)));
            continue;
          }
          running.remove(r.step.dataId());
          if (r.step.kind() == RunGraph.Kind.PIPE) {
            RunResult.Status status = r.error == null ? RunResult.Status.SUCCEEDED
                : failure != null ? RunResult.Status.CANCELLED : RunResult.Status.FAILED;
            record(new RunResult.PipeOutcome(r.step.pipe().index(), r.step.label(), status, r.duration,
                r.error == null ? null : r.message, outputRows.getOrDefault(r.step.dataId(), -1L)));
            pipeMetrics(r.step.pipe(), status, r.duration);
          }
          if (r.error != null && failure == null) {
            failure = r;
            running.values().forEach(s -> spark.sparkContext().cancelJobGroup(jobGroup(s)));
          }
          if (failure == null) {
            for (String next : dependents.getOrDefault(r.step.dataId(), List.of())) {
              if (waitingInputs.merge(next, -1, Integer::sum) == 0) {
                RunGraph.Step s = graph.step(next);
                running.put(next, s);
                done.submit(() -> runStep(s));
              }
            }
          }
          for (String d : graph.releasedAfter(r.step.dataId())) {
            if (waitingReaders.merge(d, -1, Integer::sum) == 0) {
              release(d);
            }
          }
        }
      } finally {
        threads.shutdownNow();
        // Whatever a failure left behind: nothing the run kept survives it.
        new ArrayList<>(pendingObservations.keySet()).forEach(id -> collectInPlace(id, true));
        new ArrayList<>(data.keySet()).forEach(this::release);
        new ArrayList<>(cleanups.keySet()).forEach(this::closeCleanups);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      codeMetrics();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      if (failure != null) {
        for (PlannedPipe p : selection().order()) {
          if (!outcomes.containsKey(p.label())) {
            record(new RunResult.PipeOutcome(p.index(), p.label(), RunResult.Status.SKIPPED, Duration.ZERO, null, -1));
            LOG.warn("skipped {}", p.label());
          }
        }
        if (interruptedWhile != null) {
          int index = indexOf(failure.step);
          throw new PipeFailedException(index, "The run was interrupted while " + String.join(", ", interruptedWhile)
              + " ran: they were cancelled and nothing after them was started", failure.error, result(took));
        }
        RunGraph.Step s = failure.step;
        String what = s.kind() == RunGraph.Kind.PIPE ? "Pipe " + s.pipe().label() : "Reading dataset '" + s.dataId() + "'";
        int index = indexOf(s);
        throw new PipeFailedException(index, what + " failed: " + failure.message, failure.error, result(took));
      }
      RunResult result = result(took);
      LOG.info("{}", result.summary());
      return result;
    }

    private String describeStep(RunGraph.Step s) {
      return s.kind() == RunGraph.Kind.PIPE ? "pipe " + s.pipe().label() : "reading dataset '" + s.dataId() + "'";
    }

    /** The index of a step's pipe, or of the first pipe reading a step's dataset. */
    private int indexOf(RunGraph.Step s) {
      return s.kind() == RunGraph.Kind.PIPE ? s.pipe().index()
          : graph.selection().order().stream().filter(p -> p.declaration().inputDataId().contains(s.dataId()))
              .findFirst().map(PlannedPipe::index).orElse(0);
    }

    private Selection selection() {
      return graph.selection();
    }

    private RunResult result(Duration took) {
      List<RunResult.PipeOutcome> ordered = new ArrayList<>(outcomes.values());
      ordered.sort(java.util.Comparator.comparingInt(RunResult.PipeOutcome::index));
      return new RunResult(plan.pipeline().name(), runId, ordered, new ArrayList<>(writes), new ArrayList<>(quarantines),
          new ArrayList<>(metricData), captured, took);
    }

    private void record(RunResult.PipeOutcome outcome) {
      outcomes.put(outcome.label(), outcome);
      notifyListeners(l -> l.pipeFinished(outcome));
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

    private StepResult takeUninterruptibly(CompletionService<StepResult> done) {
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
    private StepResult runStep(RunGraph.Step step) {
      SparkContext sc = spark.sparkContext();
      long t0 = System.nanoTime();
      String label = step.label();
      boolean isPipe = step.kind() == RunGraph.Kind.PIPE;
      sc.setLocalProperty(POOL_PROPERTY, pool(step));
      sc.setJobGroup(jobGroup(step), "ddp " + plan.pipeline().name() + ": " + label, true);
      try {
        Dataset<Row> out;
        if (isPipe) {
          int n = started.incrementAndGet();
          LOG.info("[{}/{}] start {} (stage {})", n, total, label, step.pipe().stage());
          notifyListeners(l -> l.pipeStarted(step.pipe()));
          out = applyPipe(step.pipe());
        } else {
          Dataset<Row> given = options.givenSources().get(step.dataId());
          out = given != null ? given : datasetIO.read(spark, plan.data(step.dataId()), readContext(step.dataId()));
        }
        String detail = materialize(step, out);
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
        LOG.error("{} {} after {}: {}", isPipe ? "FAILED" : "FAILED reading", label, RunResult.seconds(took), message);
        return new StepResult(step, took, e, message);
      } finally {
        sc.clearJobGroup();
        sc.setLocalProperty(POOL_PROPERTY, null);
      }
    }

    private ReadContext readContext(String id) {
      return new ReadContext() {
        @Override
        public java.util.Optional<DataDeclare> declared(String dataId) {
          return java.util.Optional.ofNullable(plan.data().get(dataId));
        }

        @Override
        public void onCleanup(AutoCloseable resource) {
          cleanups.computeIfAbsent(id, k -> new ArrayDeque<>()).push(resource);
        }

        @Override
        public void quarantined(String dataId, long good, long bad, String location) {
          quarantines.add(new RunResult.Quarantine(dataId, good, bad, location));
          if (bad > 0) {
            LOG.warn("{}: {} rows read, {} malformed rows quarantined to {}", dataId, good, bad, io.ddp.core.text.Secrets.mask(location));
          } else {
            LOG.info("{}: {} rows read, none malformed", dataId, good);
          }
        }

        @Override
        public void adjusted(String dataId, List<String> changes) {
          LOG.warn("{}: read with schemaPolicy cast: {}", dataId, String.join("; ", changes));
        }
      };
    }

    private Dataset<Row> applyPipe(PlannedPipe p) {
      TransformerDeclare decl = p.declaration();
      Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
      for (String id : decl.inputDataId()) {
        inputs.put(id, data.get(id));
      }
      PipeFactory.Instance instance = pipes.create(p.label(), decl.transformerType(), decl.paramsView());
      Deque<AutoCloseable> hooks = cleanups.computeIfAbsent(decl.outputDataId(), k -> new ArrayDeque<>());
      Context ctx = new Context(plan.pipeline().name(), p.index(), decl, spark, hooks, pipeMetricsFor(p));
      Dataset<Row> out = instance.pipe().apply(PipeInputs.of(p.label(), inputs), instance.params(), ctx);
      return PipeOutput.check(out, plan.data(decl.outputDataId()), p.label());
    }

    /**
     * Persists, writes, measures or captures the step's dataset as the run graph says: one action at
     * most, observing the row count and the ungrouped declared metrics on the way. Returns a log detail.
     */
    private String materialize(RunGraph.Step step, Dataset<Row> produced) {
      String id = step.dataId();
      List<MetricDeclare> declared = plan.pipeline().metricsOn(id);
      List<MetricDeclare> ungrouped = declared.stream().filter(m -> m.groupBy().isEmpty()).toList();
      boolean acts = graph.written(id) || graph.persisted(id) || graph.measured(id);
      if (graph.observedInPlace(id)) {
        MetricEvaluator.Observed inPlace = MetricEvaluator.observe(produced, ungrouped, "ddp_" + runId + "_" + id);
        pendingObservations.put(id, inPlace);
        data.put(id, inPlace.rows());
        if (options.captureOutputs() && step.kind() == RunGraph.Kind.PIPE) {
          captured.put(id, inPlace.rows());
        }
        return ", metrics observed while its readers run";
      }
      MetricEvaluator.Observed observed = acts ? MetricEvaluator.observe(produced, ungrouped, "ddp_" + runId + "_" + id) : null;
      Dataset<Row> out = observed != null ? observed.rows() : produced;
      if (graph.persisted(id) && !produced.storageLevel().isValid()) {
        out = out.persist(storageLevel(plan.data(id)));
        persistedByRun.put(id, true);
      }
      data.put(id, out);
      if (options.captureOutputs() && step.kind() == RunGraph.Kind.PIPE) {
        captured.put(id, out);
      }
      String detail = "";
      boolean ran = false;
      Map<String, Double> values = null;
      if (graph.written(id)) {
        long t0 = System.nanoTime();
        boolean written = write(out, plan.data(id));
        ran = written;
        values = written ? observedOrSay(observed, id) : Map.of();
        long rows = values.containsKey(MetricEvaluator.ROWS) ? values.get(MetricEvaluator.ROWS).longValue() : -1;
        RunResult.SinkWrite w = new RunResult.SinkWrite(id, plan.data(id).location(), rows, written,
            Duration.ofNanos(System.nanoTime() - t0));
        writes.add(w);
        notifyListeners(l -> l.sinkCommitted(w));
        detail = !written ? ", not written (mode ignore and " + w.location() + " exists)"
            : ", wrote " + (rows < 0 ? "?" : rows) + " rows to " + w.location();
      } else if (acts) {
        out.count();
        ran = true;
      }
      if (observed != null && ran) {
        if (values == null) {
          values = observedOrSay(observed, id);
        }
        Double rows = values.get(MetricEvaluator.ROWS);
        if (rows != null) {
          outputRows.put(id, rows.longValue());
          if (persistedByRun.containsKey(id) && !graph.written(id)) {
            detail = ", kept " + rows.longValue() + " rows for " + graph.consumers(id) + " consumers";
          }
        }
        List<MetricDatum> measuredNow = plainMetrics(ungrouped, values);
        // Grouped metrics aggregate the kept rows, or the files just written (see RunGraph.groupedFromWrite).
        Dataset<Row> groupedOver = declared.stream().anyMatch(m -> !m.groupBy().isEmpty()) && graph.groupedFromWrite(id)
            ? datasetIO.read(spark, plan.data(id)) : out;
        for (MetricDeclare m : declared) {
          if (!m.groupBy().isEmpty()) {
            for (MetricEvaluator.GroupValue g : MetricEvaluator.grouped(groupedOver, m, plan.pipeline().metricsConfig().maxGroups())) {
              if (!Double.isNaN(g.value())) {
                measuredNow.add(declaredDatum(m, g.value(), g.groups()));
              }
            }
          }
        }
        if (!measuredNow.isEmpty()) {
          metricData.addAll(measuredNow);
          notifyListeners(l -> l.metrics(measuredNow));
        }
      }
      return detail;
    }

    private boolean write(Dataset<Row> out, DataDeclare target) {
      try {
        return datasetIO.write(out, target, commitTag(options.commitRunId() != null ? options.commitRunId() : runId, target.dataId()));
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
        throw new DdpException("cannot write dataset '" + target.dataId() + "' to " + io.ddp.core.text.Secrets.mask(target.location()) + ": "
            + SparkErrors.firstLine(e.getMessage()), e);
      }
    }

    private MetricDatum declaredDatum(MetricDeclare m, double value, Map<String, String> groups) {
      Map<String, String> dims = new LinkedHashMap<>();
      dims.put("pipeline", plan.pipeline().name());
      plan.producer(m.dataId()).ifPresent(p -> dims.put("pipe", p.label()));
      dims.put("dataset", m.dataId());
      dims.put("metric", m.metricId());
      dims.putAll(groups);
      dims.putAll(m.dimensions());
      return new MetricDatum(m.metricId(), value, m.unit(), java.time.Instant.now(), dims);
    }

    private void pipeMetrics(PlannedPipe p, RunResult.Status status, Duration took) {
      Map<String, String> dims = new LinkedHashMap<>();
      dims.put("pipeline", plan.pipeline().name());
      dims.put("pipe", p.label());
      dims.put("dataset", p.declaration().outputDataId());
      List<MetricDatum> out = new ArrayList<>();
      java.time.Instant now = java.time.Instant.now();
      double seconds = took.toNanos() / 1e9;
      out.add(new MetricDatum("pipe.durationSeconds", seconds, "Seconds", now, dims));
      out.add(new MetricDatum("pipe.succeeded", status == RunResult.Status.SUCCEEDED ? 1 : 0, "Count", now, dims));
      Long rows = outputRows.get(p.declaration().outputDataId());
      if (rows != null) {
        out.add(new MetricDatum("pipe.outputRows", rows, "Count", now, dims));
        if (seconds > 0) {
          out.add(new MetricDatum("pipe.rowsPerSecond", rows / seconds, "Count/Second", now, dims));
        }
      }
      metricData.addAll(out);
      notifyListeners(l -> l.metrics(out));
    }

    private void codeMetrics() {
      List<MetricDatum> out = new ArrayList<>();
      java.time.Instant now = java.time.Instant.now();
      counters.forEach((key, acc) -> out.add(new MetricDatum(key.name(), acc.value(), "Count", now,
          Map.of("pipeline", plan.pipeline().name(), "pipe", key.pipe()))));
      gauges.forEach((key, value) -> out.add(new MetricDatum(key.name(), value, "None", now,
          Map.of("pipeline", plan.pipeline().name(), "pipe", key.pipe()))));
      if (!out.isEmpty()) {
        metricData.addAll(out);
        notifyListeners(l -> l.metrics(out));
      }
    }

    private PipeMetrics pipeMetricsFor(PlannedPipe p) {
      return new PipeMetrics() {
        @Override
        public PipeMetrics.Counter counter(String name) {
          org.apache.spark.util.LongAccumulator acc = counters.computeIfAbsent(new CodeMetric(p.label(), name),
              k -> spark.sparkContext().longAccumulator("ddp " + p.label() + " " + name));
          return acc::add;
        }

        @Override
        public void gauge(String name, double value) {
          gauges.put(new CodeMetric(p.label(), name), value);
        }
      };
    }

    private List<MetricDatum> plainMetrics(List<MetricDeclare> ungrouped, Map<String, Double> values) {
      List<MetricDatum> out = new ArrayList<>();
      for (MetricDeclare m : ungrouped) {
        Double v = values.get(m.metricId());
        if (v != null && !v.isNaN()) {
          out.add(declaredDatum(m, v, Map.of()));
        }
      }
      return out;
    }

    /**
     * The metrics of a dataset observed in place, once all its readers are done. If no reader's action
     * computed it (e.g. Spark skipped it), it is counted now so the metrics are never missing; after
     * a failure they are published only if they were observed.
     */
    private void collectInPlace(String id, boolean failed) {
      MetricEvaluator.Observed observed = pendingObservations.remove(id);
      if (observed == null) {
        return;
      }
      // Only an action of a step that needed the dataset can have computed it.
      boolean computed = graph.neededUntil(id).stream().anyMatch(step -> !step.equals(id) && graph.materialized(step));
      Map<String, Double> values = computed ? observed.values(5) : observed.values(0);
      if (values.isEmpty() && !failed) {
        LOG.info("{}: no reader computed it fully; counting it for its metrics", id);
        observed.rows().count();
        values = observedOrSay(observed, id);
      }
      List<MetricDatum> measuredNow = plainMetrics(observed.metrics(), values);
      if (!measuredNow.isEmpty()) {
        metricData.addAll(measuredNow);
        notifyListeners(l -> l.metrics(measuredNow));
      }
    }

    /**
     * The observed row count and metric values of a dataset whose action ran. When Spark's observation
     * did not arrive (it failed, or came late), says so once for the dataset: its metrics are not
     * published and its row count is unknown, rather than silently empty or wrong.
     */
    private Map<String, Double> observedOrSay(MetricEvaluator.Observed observed, String id) {
      Map<String, Double> values = observed.values(5);
      if (values.isEmpty() && unobserved.add(id)) {
        LOG.warn("dataset '{}': Spark's observation of its row count{} did not arrive within 5 s of its action; {} not published"
            + " and its row count is shown as unknown", id, observed.metrics().isEmpty() ? "" : " and metrics " + observed.metrics()
            .stream().map(MetricDeclare::metricId).toList(), observed.metrics().isEmpty() ? "nothing is" : "these metrics are");
      }
      return values;
    }

    /** Unpersists what the run kept and runs the producing pipe's cleanups; idempotent. */
    private void release(String id) {
      collectInPlace(id, false);
      Dataset<Row> d = data.remove(id);
      if (d != null && persistedByRun.remove(id) != null) {
        d.unpersist(false);
        LOG.debug("released {}", id);
      }
      closeCleanups(id);
    }

    private void closeCleanups(String id) {
      Deque<AutoCloseable> hooks = cleanups.remove(id);
      if (hooks == null) {
        return;
      }
      while (!hooks.isEmpty()) {
        AutoCloseable c = hooks.pop();
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("cleanup {} of dataset '{}' failed: {}", c, id, e.toString());
        }
      }
    }

    private String pool(RunGraph.Step step) {
      return "ddp." + plan.pipeline().name() + "." + (step.kind() == RunGraph.Kind.PIPE ? "#" + step.pipe().index() : step.dataId());
    }

    private String jobGroup(RunGraph.Step step) {
      return "ddp-" + runId + "-" + (step.kind() == RunGraph.Kind.PIPE ? step.pipe().index() : step.dataId());
    }

    private void notifyListeners(java.util.function.Consumer<RunListener> event) {
      for (RunListener l : options.listeners()) {
        try {
          event.accept(l);
        } catch (RuntimeException e) {
          LOG.warn("run listener {} failed: {}", l, e.toString());
        }
      }
    }
  }

  /** The tag of the commit marker a sink's write leaves in its location: the run and the dataset. */
  public static String commitTag(String runId, String dataId) {
    return runId + "." + dataId;
  }

  private record StepResult(RunGraph.Step step, Duration duration, Throwable error, String message) {}

  private record CodeMetric(String pipe, String name) {}

  private static String describe(Throwable e) {
    String cause = SparkErrors.rootCause(e);
    if (!(e instanceof DdpException)) {
      return cause;
    }
    String message = SparkErrors.firstLine(e.getMessage());
    Throwable root = SparkErrors.root(e);
    boolean shown = root == e || message.contains(cause) || message.contains(SparkErrors.firstLine(root.getMessage()));
    return shown ? message : message + " (root cause: " + cause + ")";
  }

  static StorageLevel storageLevel(DataDeclare d) {
    String level = d.persist();
    if (DataDeclare.PERSIST_AUTO.equals(level) || DataDeclare.PERSIST_NONE.equals(level)) {
      return StorageLevel.MEMORY_AND_DISK();
    }
    return StorageLevel.fromString(level.toUpperCase(java.util.Locale.ROOT));
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "ddp-pipe-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static final class Context implements SparkPipeContext {
    private final String pipeline;
    private final int index;
    private final TransformerDeclare declaration;
    private final SparkSession spark;
    private final Deque<AutoCloseable> cleanups;
    private final PipeMetrics metrics;

    Context(String pipeline, int index, TransformerDeclare declaration, SparkSession spark, Deque<AutoCloseable> cleanups,
        PipeMetrics metrics) {
      this.pipeline = pipeline;
      this.index = index;
      this.declaration = declaration;
      this.spark = spark;
      this.cleanups = cleanups;
      this.metrics = metrics;
    }

    @Override
    public PipeMetrics metrics() {
      return metrics;
    }

    @Override
    public io.ddp.core.pipe.Scopes scopes() {
      return io.ddp.spark.scope.SparkScopes.INSTANCE;
    }

    @Override
    public String pipelineName() {
      return pipeline;
    }

    @Override
    public int index() {
      return index;
    }

    @Override
    public TransformerDeclare declaration() {
      return declaration;
    }

    @Override
    public void onCleanup(AutoCloseable resource) {
      synchronized (cleanups) {
        cleanups.push(Objects.requireNonNull(resource, "onCleanup(resource) called with null"));
      }
    }

    @Override
    public SparkSession spark() {
      return spark;
    }
  }
}
