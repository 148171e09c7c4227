package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.RunPlan;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Secrets;
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
          LOG.info("{}: {} rows read, none malformed", dataId, good);
        }
      }

      @Override
      public void adjusted(String dataId, List<String> changes) {
        LOG.warn("{}: read with schemaPolicy cast: {}", dataId, String.join("; ", changes));
      }
    };
  }

  /**
   * Persists, writes, measures or captures the step's dataset as the run plan says: one action at
   * most, observing the row count and the ungrouped declared metrics on the way. Returns a log detail.
   */
  String materialize(RunPlan.Step step, Dataset<Row> produced) {
    String id = step.dataId();
    boolean capture = options.captureOutputs() && step.kind() == RunPlan.Kind.PIPE;
    List<MetricDeclare> declared = plan.pipeline().metricsOn(id);
    List<MetricDeclare> ungrouped = declared.stream().filter(m -> m.groupBy().isEmpty()).toList();
    if (runPlan.observedInPlace(id)) {
      MetricEvaluator.Observed inPlace = MetricEvaluator.observe(produced, ungrouped, observationPrefix + id);
      metrics.observeInPlace(id, inPlace);
      data.put(id, inPlace.rows());
      if (capture) {
        captured.put(id, inPlace.rows());
      }
      return ", metrics observed while its readers run";
    }
    boolean acts = runPlan.written(id) || runPlan.persisted(id) || runPlan.measured(id);
    MetricEvaluator.Observed observed = acts ? MetricEvaluator.observe(produced, ungrouped, observationPrefix + id) : null;
    Dataset<Row> out = observed != null ? observed.rows() : produced;
    if (runPlan.persisted(id) && !produced.storageLevel().isValid()) {
      out = out.persist(storageLevel(plan.data(id)));
      persistedByRun.add(id);
    }
    data.put(id, out);
    if (capture) {
      captured.put(id, out);
    }
    String detail = "";
    boolean ran = false;
    Map<String, Double> values = null;
    if (runPlan.written(id)) {
      long t0 = System.nanoTime();
      boolean written = write(out, plan.data(id));
      ran = written;
      values = written ? metrics.observedOrSay(observed, id) : Map.of();
      long rows = values.containsKey(MetricEvaluator.ROWS) ? values.get(MetricEvaluator.ROWS).longValue() : -1;
      RunResult.SinkWrite w = new RunResult.SinkWrite(id, plan.data(id).location(), rows, written,
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
        if (persistedByRun.contains(id) && !runPlan.written(id)) {
          detail = ", kept " + rows.longValue() + " rows for " + runPlan.readCount(id) + " consumers";
        }
      }
      List<MetricDatum> measuredNow = metrics.plain(ungrouped, values);
      // Grouped metrics aggregate the kept rows, or the files just written (see RunPlan.groupedFromWrite).
      if (declared.size() > ungrouped.size()) {
        metrics.grouped(declared, runPlan.groupedFromWrite(id) ? io.read(spark, plan.data(id)) : out, measuredNow);
      }
      metrics.publish(measuredNow);
    }
    return detail;
  }

  private boolean write(Dataset<Row> out, DataDeclare target) {
    try {
      return io.write(out, target, SparkExecutor.commitTag(commitRunId, target.dataId()));
    } catch (Exception e) { // AnalysisException is a checked exception in Java
      throw new DdpException("cannot write dataset '" + target.dataId() + "' to " + Secrets.mask(target.location()) + ": "
          + Messages.firstLine(e.getMessage()), e);
    }
  }

  /** Unpersists what the run kept and runs the producing pipe's cleanups; idempotent. */
  void release(String id) {
    metrics.collectInPlace(id, false);
    Dataset<Row> d = data.remove(id);
    if (d != null && persistedByRun.remove(id)) {
      d.unpersist(false);
      LOG.debug("released {}", id);
    }
    closeCleanups(id);
  }

  /** Whatever a failure left behind: nothing the run kept survives it. */
  void releaseAll() {
    metrics.pendingInPlace().forEach(id -> metrics.collectInPlace(id, true));
    new ArrayList<>(data.keySet()).forEach(this::release);
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
