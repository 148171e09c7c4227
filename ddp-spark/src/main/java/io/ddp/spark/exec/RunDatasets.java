package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.RunPlan;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Secrets;
import io.ddp.io.QuarantineTarget;
import io.ddp.io.ReadContext;
import io.ddp.io.SparkDatasetIO;
import io.ddp.metrics.MetricDatum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of a run's datasets: read or produced, then persisted, written, measured or captured
 * as the run plan says (one action at most), kept while readers need them, and released after the
 * last one (unpersisted, and the producing pipe's cleanups run). Safe to call from the step threads.
 */
final class RunDatasets {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);

  private final SparkSession spark;
  private final ExecutionPlan plan;
  private final RunPlan runPlan;
  private final RunOptions options;
  private final SparkDatasetIO io;
  private final RunMetrics metrics;
  private final RunEvents events;
  private final String commitRunId;
  private final String observationPrefix;
  /** Produced data by dataId; written by step threads, read once a step's inputs are done. */
  private final Map<String, Dataset<Row>> data = new ConcurrentHashMap<>();
  /** Datasets this run persisted (never user-cached ones), to unpersist on release. */
  private final Set<String> persistedByRun = ConcurrentHashMap.newKeySet();
  private final Map<String, Deque<AutoCloseable>> cleanups = new ConcurrentHashMap<>();
  private final Map<String, Dataset<Row>> captured = new ConcurrentHashMap<>();
  private final List<RunResult.SinkWrite> writes = Collections.synchronizedList(new ArrayList<>());
  private final List<RunResult.Quarantine> quarantines = Collections.synchronizedList(new ArrayList<>());
  private final List<RunResult.ExpectationOutcome> expectations = Collections.synchronizedList(new ArrayList<>());
  /** Datasets whose expectations were recorded, so that each is recorded once. */
  private final Set<String> recordedChecks = ConcurrentHashMap.newKeySet();
  /** Expectations counted while readers compute the dataset; recorded on release. */
  private final Map<String, Expectations> checksInPlace = new ConcurrentHashMap<>();
  /** Flagged rows kept in memory because quarantined and kept rows are both written from them. */
  private final Map<String, Dataset<Row>> keptFlags = new ConcurrentHashMap<>();
  /** Quarantine locations written in this run: a second write there appends. */
  private final Set<String> quarantineLocations = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> quarantineLocks = new ConcurrentHashMap<>();
  /** How long a {@code fail} expectation waits for its count before it refuses to commit unconfirmed data. */
  static final int FAIL_CHECK_WAIT_SECONDS = 60;

  RunDatasets(SparkSession spark, ExecutionPlan plan, RunPlan runPlan, RunOptions options, SparkDatasetIO io, RunMetrics metrics,
      RunEvents events, String runId) {
    this.spark = spark;
    this.plan = plan;
    this.runPlan = runPlan;
    this.options = options;
    this.io = io;
    this.metrics = metrics;
    this.events = events;
    this.commitRunId = options.commitRunId() != null ? options.commitRunId() : runId;
    this.observationPrefix = "ddp_" + runId + "_";
  }

  /** A dataset a step of this run produced and has not released. */
  Dataset<Row> get(String dataId) {
    return data.get(dataId);
  }

  /** A source as the run reads it: given by the caller, else read as declared. */
  Dataset<Row> readSource(String dataId) {
    Dataset<Row> given = options.givenSources().get(dataId);
    return given != null ? given : io.read(spark, plan.data(dataId), readContext(dataId));
  }

  /** Where the pipe producing {@code dataId} registers its cleanups; run when the dataset is released. */
  Deque<AutoCloseable> cleanupsOf(String dataId) {
    return cleanups.computeIfAbsent(dataId, k -> new ConcurrentLinkedDeque<>());
  }

  List<RunResult.SinkWrite> writes() {
    synchronized (writes) {
      return new ArrayList<>(writes);
    }
  }

  List<RunResult.Quarantine> quarantines() {
    synchronized (quarantines) {
      return new ArrayList<>(quarantines);
    }
  }

  Map<String, Dataset<Row>> captured() {
    return captured;
  }

  private ReadContext readContext(String id) {
    return new ReadContext() {
      @Override
      public Optional<DataDeclare> declared(String dataId) {
        return Optional.ofNullable(plan.data().get(dataId));
      }

      @Override
      public void onCleanup(AutoCloseable resource) {
        cleanupsOf(id).push(resource);
      }

      @Override
      public void quarantined(String dataId, long good, long bad, String location) {
        quarantines.add(new RunResult.Quarantine(dataId, good, bad, location));
        if (bad > 0) {
          LOG.warn("{}: {} rows read, {} malformed rows quarantined to {}", dataId, good, bad, Secrets.mask(location));
        } else {
          org.slf4j.LoggerFactory.getLogger(SparkExecutor.PROGRESS_LOGGER).info("{}: {} rows read, none malformed", dataId, good);
        }
      }

      @Override
      public void writeQuarantine(DataDeclare target, java.util.function.Consumer<DataDeclare> write) {
        if (options.writesNothing()) {
          return; // counted (see quarantined), not written
        }
        RunDatasets.this.writeQuarantine(target, write);
      }

      @Override
      public void adjusted(String dataId, List<String> changes) {
        LOG.warn("{}: read with schemaPolicy cast: {}", dataId, String.join("; ", changes));
      }
    };
  }

  /**
   * Persists, writes, measures or captures the step's dataset as the run plan says: one action at
   * most, observing the row count, the ungrouped declared metrics and the expectations on the way
   * (plus one write of quarantined rows when an expectation quarantines). Returns a log detail.
   */
  String materialize(RunPlan.Step step, Dataset<Row> produced) {
    String id = step.dataId();
    DataDeclare declaredData = plan.data(id);
    boolean capture = options.captureOutputs() && step.kind() == RunPlan.Kind.PIPE;
    List<MetricDeclare> declared = plan.pipeline().metricsOn(id);
    List<MetricDeclare> ungrouped = declared.stream().filter(m -> !m.aggregatedSeparately()).toList();
    // A dataset the pipeline produces but this run reads back (--resume, --from) was checked when it was written.
    boolean readBack = step.kind() == RunPlan.Kind.READ && plan.producer(id).isPresent();
    Expectations checks = declaredData.expectations().isEmpty() || readBack ? null
        : Expectations.over(produced, declaredData, observationPrefix + id + "-expectations");
    Dataset<Row> checked = produced;
    if (checks != null) {
      if (checks.quarantines()) {
        // The quarantined rows and the kept ones come from one computation of the dataset.
        Dataset<Row> flagged = checks.flagged().persist(storageLevel(declaredData));
        keptFlags.put(id, flagged);
        if (checks.fails()) {
          // A run that fails must not have replaced the previous quarantine either: check first (over the kept rows).
          flagged.count();
          List<RunResult.ExpectationOutcome> early = checks.outcomes(FAIL_CHECK_WAIT_SECONDS, checks.kept().count());
          failIfViolated(id, early, "; nothing was written, neither the dataset nor its quarantined rows");
        }
        quarantine(checks, flagged, declaredData);
      }
      checked = checks.kept();
    }
    if (runPlan.observedInPlace(id)) {
      MetricEvaluator.Observed inPlace = MetricEvaluator.observe(checked, ungrouped, observationPrefix + id);
      metrics.observeInPlace(id, inPlace);
      if (checks != null) {
        checksInPlace.put(id, checks);
      }
      data.put(id, inPlace.rows());
      if (capture) {
        captured.put(id, inPlace.rows());
      }
      return ", metrics observed while its readers run";
    }
    boolean acts = runPlan.written(id) || runPlan.persisted(id) || runPlan.measured(id);
    MetricEvaluator.Observed observed = acts ? MetricEvaluator.observe(checked, ungrouped, observationPrefix + id) : null;
    Dataset<Row> out = observed != null ? observed.rows() : checked;
    if (runPlan.persisted(id) && !produced.storageLevel().isValid() && !keptFlags.containsKey(id)) {
      out = out.persist(storageLevel(declaredData));
      persistedByRun.add(id);
    }
    data.put(id, out);
    if (capture) {
      captured.put(id, out);
    }
    String detail = "";
    boolean ran = false;
    Map<String, Double> values = null;
    List<RunResult.ExpectationOutcome> outcomes = null;
    if (runPlan.written(id)) {
      long t0 = System.nanoTime();
      boolean written;
      if (checks != null && checks.fails()) {
        List<List<RunResult.ExpectationOutcome>> seen = new ArrayList<>();
        Runnable beforeCommit = () -> seen.add(checkBeforeCommit(id, checks, observed));
        if (io.stagesWrites(declaredData)) {
          written = write(out, declaredData, beforeCommit);
        } else {
          // The format commits as it writes: compute the dataset once, kept, and check it before writing.
          if (!out.storageLevel().isValid()) {
            out = out.persist(storageLevel(declaredData));
            data.put(id, out);
            persistedByRun.add(id);
          }
          out.count();
          beforeCommit.run();
          written = write(out, declaredData, null);
        }
        outcomes = seen.isEmpty() ? null : seen.get(0);
      } else {
        written = write(out, declaredData, null);
      }
      ran = written;
      if (!written && checks != null) {
        // Mode ignore found data there: nothing was written, but readers of this dataset still get
        // its rows, so they are checked (and counted) all the same.
        out.count();
        ran = true;
      }
      values = ran ? metrics.observedOrSay(observed, id) : Map.of();
      long rows = values.containsKey(MetricEvaluator.ROWS) ? values.get(MetricEvaluator.ROWS).longValue() : -1;
      RunResult.SinkWrite w = new RunResult.SinkWrite(id, declaredData.location(), rows, written,
          Duration.ofNanos(System.nanoTime() - t0));
      writes.add(w);
      events.tell(l -> l.sinkCommitted(w));
      detail = !written ? ", not written (mode ignore and " + w.location() + " exists)"
          : ", wrote " + (rows < 0 ? "?" : rows) + " rows to " + w.location();
    } else if (acts) {
      out.count();
      ran = true;
    }
    if (observed != null && ran) {
      if (values == null) {
        values = metrics.observedOrSay(observed, id);
      }
      Double rows = values.get(MetricEvaluator.ROWS);
      if (rows != null) {
        metrics.outputRows(id, rows.longValue());
        if ((persistedByRun.contains(id) || keptFlags.containsKey(id)) && !runPlan.written(id)) {
          detail = ", kept " + rows.longValue() + " rows for " + runPlan.readCount(id) + " consumers";
        }
      }
      if (checks != null) {
        if (outcomes == null) {
          outcomes = checks.outcomes(checks.fails() ? FAIL_CHECK_WAIT_SECONDS : RunMetrics.OBSERVATION_WAIT_SECONDS,
              rows == null ? -1 : rows.longValue());
        }
        recordOutcomes(id, outcomes);
      }
      List<MetricDatum> measuredNow = metrics.plain(ungrouped, values);
      // Grouped metrics aggregate the kept rows, or the files just written (see RunPlan.groupedFromWrite).
      if (declared.size() > ungrouped.size()) {
        metrics.grouped(declared, runPlan.groupedFromWrite(id) ? io.read(spark, declaredData) : out, measuredNow);
      }
      metrics.publish(measuredNow);
    }
    return detail;
  }

  /**
   * Run once the sink's rows are written and before they are committed: the outcomes of the
   * expectations, or an {@link ExpectationFailedException} when a {@code fail} one is violated or
   * cannot be confirmed, which leaves the location as it was.
   */
  private List<RunResult.ExpectationOutcome> checkBeforeCommit(String id, Expectations checks, MetricEvaluator.Observed observed) {
    Double rows = observed.values(FAIL_CHECK_WAIT_SECONDS).get(MetricEvaluator.ROWS);
    List<RunResult.ExpectationOutcome> outcomes = checks.outcomes(FAIL_CHECK_WAIT_SECONDS, rows == null ? -1 : rows.longValue());
    DataDeclare d = plan.data(id);
    failIfViolated(id, outcomes, "; nothing was written to " + Secrets.mask(d.location())
        + (d.mode() == WriteMode.APPEND || d.mode() == WriteMode.OVERWRITE ? ", its previous content is unchanged" : ""));
    return outcomes;
  }

  /**
   * Records the outcomes and throws when a {@code fail} expectation was violated, or its count did not
   * arrive (the data cannot be let through unchecked); {@code consequence} ends the message.
   */
  private void failIfViolated(String id, List<RunResult.ExpectationOutcome> outcomes, String consequence) {
    List<RunResult.ExpectationOutcome> failed = Expectations.failures(outcomes);
    if (!failed.isEmpty()) {
      record(id, outcomes);
      throw new ExpectationFailedException(Expectations.failureMessage(id, failed) + consequence);
    }
    List<RunResult.ExpectationOutcome> unknown = Expectations.unconfirmed(outcomes);
    if (!unknown.isEmpty()) {
      record(id, outcomes);
      throw new ExpectationFailedException("dataset '" + id + "': Spark's count of its expectations "
          + unknown.stream().map(o -> "'" + o.name() + "'").toList() + " did not arrive within " + FAIL_CHECK_WAIT_SECONDS
          + " s of computing it, so these \"fail\" expectations cannot be confirmed" + consequence
          + ". Run it again; if it keeps happening, report it with the Spark version");
    }
  }

  /** Records, logs and publishes the outcomes; fails the run when a {@code fail} expectation was violated. */
  private void recordOutcomes(String id, List<RunResult.ExpectationOutcome> outcomes) {
    failIfViolated(id, outcomes, "; no pipe reads it and nothing after it is written");
    record(id, outcomes);
  }

  private void record(String id, List<RunResult.ExpectationOutcome> outcomes) {
    if (!recordedChecks.add(id)) {
      return;
    }
    if (outcomes.stream().anyMatch(o -> o.violations() < 0)) {
      LOG.warn("dataset '{}': Spark's count of some of its expectations did not arrive in time; they are reported as unknown", id);
    }
    expectations.addAll(outcomes);
    metrics.publish(metrics.expectationData(outcomes));
    for (RunResult.ExpectationOutcome o : outcomes) {
      if (o.violations() > 0) {
        LOG.warn("dataset '{}': expectation '{}' ({}): {} ({})", id, o.name(), o.check(),
            o.rowLevel() ? o.violations() + " of " + o.rows() + " rows violate it" : o.rows() + " rows", verb(o.action()));
      }
    }
  }

  private static String verb(String action) {
    switch (action) {
      case "drop":
        return "dropped";
      case "quarantine":
        return "quarantined";
      case "fail":
        return "the run fails";
      default:
        return "kept, counted";
    }
  }

  /**
   * Writes the rows the dataset's quarantine expectations set aside (an action over the kept flagged
   * rows), or captures them when the run captures its outputs instead of writing them.
   */
  private void quarantine(Expectations checks, Dataset<Row> flagged, DataDeclare d) {
    DataDeclare target = QuarantineTarget.of(d, dataId -> Optional.ofNullable(plan.data().get(dataId)));
    Dataset<Row> rows = checks.quarantined(flagged);
    // Counted first (this computes the kept flagged rows), so that a run without such rows leaves the
    // location as it is, as for a source's bad records.
    long count = rows.count();
    if (options.captureOutputs()) {
      captured.put(target.dataId(), rows);
    } else if (count > 0) {
      writeQuarantine(target, t -> {
        try {
          io.write(rows, t);
        } catch (RuntimeException e) {
          throw new DdpException("cannot write the rows that expectations of dataset '" + d.dataId() + "' quarantine to "
              + Secrets.mask(t.location()) + ": " + Messages.firstLine(e.getMessage()), e);
        }
      });
    }
    if (count > 0) {
      LOG.warn("dataset '{}': {} rows quarantined by its expectations to {}", d.dataId(), count,
          options.captureOutputs() ? "the captured dataset '" + target.dataId() + "'" : Secrets.mask(target.location()));
    }
  }

  /**
   * Writes to a quarantine location, one writer at a time per location: the first write of the run
   * uses the target's mode (by default replacing what an earlier run left), later ones append, so that
   * a source's bad records and several datasets' quarantined rows can share one location.
   */
  private void writeQuarantine(DataDeclare target, java.util.function.Consumer<DataDeclare> write) {
    Object lock = quarantineLocks.computeIfAbsent(target.location(), k -> new Object());
    synchronized (lock) {
      DataDeclare effective = quarantineLocations.add(target.location()) ? target
          : target.toBuilder().mode(WriteMode.APPEND).build();
      write.accept(effective);
    }
  }

  private boolean write(Dataset<Row> out, DataDeclare target, Runnable beforeCommit) {
    try {
      String tag = SparkExecutor.commitTag(commitRunId, target.dataId());
      return beforeCommit == null ? io.write(out, target, tag) : io.write(out, target, tag, beforeCommit);
    } catch (Exception e) { // AnalysisException is a checked exception in Java
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ExpectationFailedException) {
          throw (ExpectationFailedException) t;
        }
      }
      throw new DdpException("cannot write dataset '" + target.dataId() + "' to " + Secrets.mask(target.location()) + ": "
          + Messages.firstLine(e.getMessage()), e);
    }
  }

  /** Unpersists what the run kept and runs the producing pipe's cleanups; idempotent. */
  void release(String id) {
    Map<String, Double> inPlace = metrics.collectInPlace(id, false);
    Expectations checks = checksInPlace.remove(id);
    if (checks != null) {
      Double rows = inPlace.get(MetricEvaluator.ROWS);
      recordOutcomes(id, checks.outcomes(rows == null ? 0 : RunMetrics.OBSERVATION_WAIT_SECONDS,
          rows == null ? -1 : rows.longValue()));
    }
    unpersist(id);
  }

  private void unpersist(String id) {
    Dataset<Row> d = data.remove(id);
    if (d != null && persistedByRun.remove(id)) {
      d.unpersist(false);
      LOG.debug("released {}", id);
    }
    Dataset<Row> flags = keptFlags.remove(id);
    if (flags != null) {
      flags.unpersist(false);
    }
    closeCleanups(id);
  }

  List<RunResult.ExpectationOutcome> expectations() {
    synchronized (expectations) {
      return new ArrayList<>(expectations);
    }
  }

  /** Whatever a failure left behind: nothing the run kept survives it. */
  void releaseAll() {
    for (String id : metrics.pendingInPlace()) {
      Double rows = metrics.collectInPlace(id, true).get(MetricEvaluator.ROWS);
      Expectations checks = checksInPlace.remove(id);
      if (checks != null) {
        record(id, checks.outcomes(0, rows == null ? -1 : rows.longValue()));
      }
    }
    checksInPlace.clear();
    new ArrayList<>(data.keySet()).forEach(this::unpersist);
    new ArrayList<>(keptFlags.keySet()).forEach(this::unpersist);
    new ArrayList<>(cleanups.keySet()).forEach(this::closeCleanups);
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

  static StorageLevel storageLevel(DataDeclare d) {
    String level = d.persist();
    if (DataDeclare.PERSIST_AUTO.equals(level) || DataDeclare.PERSIST_NONE.equals(level)) {
      return StorageLevel.MEMORY_AND_DISK();
    }
    return StorageLevel.fromString(level.toUpperCase(Locale.ROOT));
  }
}
