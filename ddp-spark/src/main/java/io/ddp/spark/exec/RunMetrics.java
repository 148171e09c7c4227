package io.ddp.spark.exec;

import io.ddp.core.model.MetricDeclare;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.RunPlan;
import io.ddp.metrics.MetricDatum;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one run: declared metrics observed on datasets (in the same action that writes or
 * keeps them, or while their readers compute them), each pipe's duration and rows, and the counters
 * and gauges pipes record from code. Every datum goes to the run result and to the listeners.
 */
final class RunMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);
  /** How long an action's observed values may take to arrive after the action. */
  static final int OBSERVATION_WAIT_SECONDS = 5;

  private final SparkSession spark;
  private final ExecutionPlan plan;
  private final RunPlan runPlan;
  private final RunEvents events;
  private final List<MetricDatum> data = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> outputRows = new ConcurrentHashMap<>();
  private final Map<CodeMetric, LongAccumulator> counters = new ConcurrentHashMap<>();
  private final Map<CodeMetric, Double> gauges = new ConcurrentHashMap<>();
  /** Plain metrics observed while readers compute their dataset ("persist": "none"); collected on release. */
  private final Map<String, MetricEvaluator.Observed> pending = new ConcurrentHashMap<>();
  private final Set<String> unobserved = ConcurrentHashMap.newKeySet();

  private record CodeMetric(String pipe, String name) {}

  RunMetrics(SparkSession spark, ExecutionPlan plan, RunPlan runPlan, RunEvents events) {
    this.spark = spark;
    this.plan = plan;
    this.runPlan = runPlan;
    this.events = events;
  }

  /** Every datum measured so far. */
  List<MetricDatum> data() {
    synchronized (data) {
      return new ArrayList<>(data);
    }
  }

  long outputRows(String dataId) {
    return outputRows.getOrDefault(dataId, -1L);
  }

  void outputRows(String dataId, long rows) {
    outputRows.put(dataId, rows);
  }

  /** Keeps an in-place observation until {@link #collectInPlace} when the dataset is released. */
  void observeInPlace(String dataId, MetricEvaluator.Observed observed) {
    pending.put(dataId, observed);
  }

  Set<String> pendingInPlace() {
    return Set.copyOf(pending.keySet());
  }

  /** Publishes measured data: into the result and to the listeners. */
  void publish(List<MetricDatum> measured) {
    if (!measured.isEmpty()) {
      data.addAll(measured);
      events.tell(l -> l.metrics(measured));
    }
  }

  MetricDatum declaredDatum(MetricDeclare m, double value, Map<String, String> groups) {
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("pipeline", plan.pipeline().name());
    plan.producer(m.dataId()).ifPresent(p -> dims.put("pipe", p.label()));
    dims.put("dataset", m.dataId());
    dims.put("metric", m.metricId());
    dims.putAll(groups);
    dims.putAll(m.dimensions());
    return new MetricDatum(m.metricId(), value, m.unit(), Instant.now(), dims);
  }

  /** The declared ungrouped metrics among observed values (NaN and missing ones are left out). */
  List<MetricDatum> plain(List<MetricDeclare> ungrouped, Map<String, Double> values) {
    List<MetricDatum> out = new ArrayList<>();
    for (MetricDeclare m : ungrouped) {
      Double v = values.get(m.metricId());
      if (v != null && !v.isNaN()) {
        out.add(declaredDatum(m, v, Map.of()));
      }
    }
    return out;
  }

  /** A pipe's duration, success, output rows and throughput. */
  void pipeEnded(PlannedPipe p, RunResult.Status status, Duration took) {
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("pipeline", plan.pipeline().name());
    dims.put("pipe", p.label());
    dims.put("dataset", p.declaration().outputDataId());
    List<MetricDatum> out = new ArrayList<>();
    Instant now = Instant.now();
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
    publish(out);
  }

  /** The counters and gauges pipes recorded from code, once the run is over. */
  void codeMetricsEnded() {
    List<MetricDatum> out = new ArrayList<>();
    Instant now = Instant.now();
    counters.forEach((key, acc) -> out.add(new MetricDatum(key.name(), acc.value(), "Count", now,
        Map.of("pipeline", plan.pipeline().name(), "pipe", key.pipe()))));
    gauges.forEach((key, value) -> out.add(new MetricDatum(key.name(), value, "None", now,
        Map.of("pipeline", plan.pipeline().name(), "pipe", key.pipe()))));
    publish(out);
  }

  /** What a pipe's code records through {@code ctx.metrics()}. */
  PipeMetrics forPipe(PlannedPipe p) {
    return new PipeMetrics() {
      @Override
      public PipeMetrics.Counter counter(String name) {
        LongAccumulator acc = counters.computeIfAbsent(new CodeMetric(p.label(), name),
            k -> spark.sparkContext().longAccumulator("ddp " + p.label() + " " + name));
        return acc::add;
      }

      @Override
      public void gauge(String name, double value) {
        gauges.put(new CodeMetric(p.label(), name), value);
      }
    };
  }

  /**
   * The metrics of a dataset observed in place, once all its readers are done. If no reader's action
   * computed it (e.g. Spark skipped it), it is counted now so the metrics are never missing; after
   * a failure they are published only if they were observed. Returns the observed values (with the
   * row count), empty when there were none.
   */
  Map<String, Double> collectInPlace(String id, boolean failed) {
    MetricEvaluator.Observed observed = pending.remove(id);
    if (observed == null) {
      return Map.of();
    }
    // Only an action of a step that needed the dataset can have computed it.
    boolean computed = runPlan.neededUntil(id).stream().anyMatch(step -> !step.equals(id) && runPlan.materialized(step));
    Map<String, Double> values = computed ? observed.values(OBSERVATION_WAIT_SECONDS) : observed.values(0);
    if (values.isEmpty() && !failed) {
      org.slf4j.LoggerFactory.getLogger(SparkExecutor.PROGRESS_LOGGER).info("{}: no reader computed it fully; counting it for its metrics", id);
      observed.rows().count();
      values = observedOrSay(observed, id);
    }
    publish(plain(observed.metrics(), values));
    return values;
  }

  /** Each expectation's violations as a datum: {@code expectation.violations} by dataset and expectation. */
  List<MetricDatum> expectationData(List<RunResult.ExpectationOutcome> outcomes) {
    List<MetricDatum> out = new ArrayList<>();
    Instant now = Instant.now();
    for (RunResult.ExpectationOutcome o : outcomes) {
      Map<String, String> dims = new LinkedHashMap<>();
      dims.put("pipeline", plan.pipeline().name());
      plan.producer(o.dataId()).ifPresent(p -> dims.put("pipe", p.label()));
      dims.put("dataset", o.dataId());
      dims.put("expectation", o.name());
      dims.put("onViolation", o.action());
      out.add(new MetricDatum("expectation.violations", o.violations(), "Count", now, dims));
    }
    return out;
  }

  /**
   * The observed row count and metric values of a dataset whose action ran. When Spark's observation
   * did not arrive (it failed, or came late), says so once for the dataset: its metrics are not
   * published and its row count is unknown, rather than silently empty or wrong.
   */
  Map<String, Double> observedOrSay(MetricEvaluator.Observed observed, String id) {
    Map<String, Double> values = observed.values(OBSERVATION_WAIT_SECONDS);
    if (values.isEmpty() && unobserved.add(id)) {
      LOG.warn("dataset '{}': Spark's observation of its row count{} did not arrive within {} s of its action; {} not published"
          + " and its row count is shown as unknown", id, observed.metrics().isEmpty() ? "" : " and metrics " + observed.metrics()
          .stream().map(MetricDeclare::metricId).toList(), OBSERVATION_WAIT_SECONDS,
          observed.metrics().isEmpty() ? "nothing is" : "these metrics are");
    }
    return values;
  }

  /** Grouped declared metrics of a dataset, computed over {@code rows}. */
  void grouped(List<MetricDeclare> declared, Dataset<Row> rows, List<MetricDatum> into) {
    for (MetricDeclare m : declared) {
      if (m.aggregatedSeparately()) {
        for (MetricEvaluator.GroupValue g : MetricEvaluator.grouped(rows, m, plan.pipeline().metricsConfig().maxGroups())) {
          if (!Double.isNaN(g.value())) {
            into.add(declaredDatum(m, g.value(), g.groups()));
          }
        }
      }
    }
  }
}
