package io.ddp.spark.exec;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a run did: each pipe's outcome, each sink written, and (when sinks were captured for tests)
 * the in-memory outputs.
 */
public final class RunResult {
  /** How one pipe ended. */
  public enum Status {
    /** Ran to the end. */
    SUCCEEDED,
    /** Threw, or its output did not match the declaration, or its write failed. */
    FAILED,
    /** Was running when another pipe failed, and was stopped. */
    CANCELLED,
    /** Never started, because the run failed first. */
    SKIPPED
  }

  /**
   * @param index 1-based transformer index
   * @param label how messages name the pipe
   * @param status how it ended
   * @param duration time spent building the pipe's output and writing it if it is a sink
   * @param error the first line of the failure, or null
   * @param rows rows in the pipe's output when the run computed them in its own step, else -1
   */
  public record PipeOutcome(int index, String label, Status status, Duration duration, String error, long rows) {}

  /**
   * @param dataId the sink
   * @param location where it was written
   * @param rows rows written, or -1 when unknown or nothing was written
   * @param written false when mode ignore found data at the location and wrote nothing
   * @param duration time the write took
   */
  public record SinkWrite(String dataId, String location, long rows, boolean written, Duration duration) {
    /** The location as shown (logs, report, summary): passwords in it masked. */
    public SinkWrite {
      location = io.ddp.core.text.Secrets.mask(location);
    }
  }

  /**
   * Malformed rows of a csv or json source, put aside while reading it.
   *
   * @param dataId the source
   * @param good rows read into the run
   * @param bad rows quarantined
   * @param location where the bad rows were written, or null when there were none
   */
  public record Quarantine(String dataId, long good, long bad, String location) {
    /** The location as shown: passwords in it masked. */
    public Quarantine {
      location = io.ddp.core.text.Secrets.mask(location);
    }
  }

  /**
   * How a dataset met one of its expectations.
   *
   * @param dataId the dataset
   * @param name the expectation's name
   * @param check what it checks, e.g. {@code notNull(id)} or {@code rowCount in [1, any]}
   * @param action its onViolation: warn, drop, quarantine or fail
   * @param rowLevel true when rows are checked one by one; false for a row count
   * @param rows rows checked (for a row count: the dataset's rows)
   * @param violations rows that violate it; for a row count 1 when outside the range, else 0
   */
  public record ExpectationOutcome(String dataId, String name, String check, String action, boolean rowLevel, long rows,
      long violations) {}

  private final String pipeline;
  private final String runId;
  private final List<Quarantine> quarantines;
  private final List<ExpectationOutcome> expectations;
  private final List<io.ddp.metrics.MetricDatum> metrics;
  private final List<PipeOutcome> pipes;
  private final List<SinkWrite> sinks;
  private final Map<String, Dataset<Row>> captured;
  private final Duration duration;
  private final List<io.ddp.spark.profile.WorkProfile.Part> work;

  RunResult(String pipeline, String runId, List<PipeOutcome> pipes, List<SinkWrite> sinks, List<Quarantine> quarantines,
      List<ExpectationOutcome> expectations, List<io.ddp.metrics.MetricDatum> metrics, Map<String, Dataset<Row>> captured,
      Duration duration, List<io.ddp.spark.profile.WorkProfile.Part> work) {
    this.work = List.copyOf(work);
    this.pipeline = pipeline;
    this.expectations = List.copyOf(expectations);
    this.runId = runId;
    this.quarantines = List.copyOf(quarantines);
    this.metrics = List.copyOf(metrics);
    this.pipes = List.copyOf(pipes);
    this.sinks = List.copyOf(sinks);
    this.captured = Collections.unmodifiableMap(new LinkedHashMap<>(captured));
    this.duration = duration;
  }

  public String pipeline() {
    return pipeline;
  }

  public List<PipeOutcome> pipes() {
    return pipes;
  }

  public List<SinkWrite> sinks() {
    return sinks;
  }

  public String runId() {
    return runId;
  }

  /** Every metric value the run produced: declared, per pipe, and recorded from code. */
  public List<io.ddp.metrics.MetricDatum> metrics() {
    return metrics;
  }

  /** The values of one metric, by name (a declared metricId, pipe.durationSeconds, a counter name...). */
  public List<io.ddp.metrics.MetricDatum> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).toList();
  }

  /** What reading csv and json sources put aside, one entry per source read. */
  public List<Quarantine> quarantines() {
    return quarantines;
  }

  /** How each dataset met its expectations, in the order they were checked. */
  public List<ExpectationOutcome> expectations() {
    return expectations;
  }

  /** The outcome of one expectation of one dataset. */
  public java.util.Optional<ExpectationOutcome> expectation(String dataId, String name) {
    return expectations.stream().filter(e -> e.dataId().equals(dataId) && e.name().equals(name)).findFirst();
  }

  /**
   * The violations as a small table, one line per expectation with violations (all of them when
   * {@code all}); empty when there is nothing to show.
   */
  public String expectationTable(boolean all) {
    List<ExpectationOutcome> shown = expectations.stream().filter(e -> all || e.violations() != 0).toList();
    if (shown.isEmpty()) {
      return "";
    }
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(new String[] {"dataset", "expectation", "onViolation", "violations", "rows", "check"});
    for (ExpectationOutcome e : shown) {
      rows.add(new String[] {e.dataId(), e.name(), e.action(), e.violations() < 0 ? "?" : String.valueOf(e.violations()),
          e.rows() < 0 ? "?" : String.valueOf(e.rows()), e.check()});
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        boolean number = i == 3 || i == 4;
        String cell = i == r.length - 1 ? r[i] : number ? " ".repeat(width[i] - r[i].length()) + r[i]
            : r[i] + " ".repeat(width[i] - r[i].length());
        line.append("  ").append(cell);
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  public Duration duration() {
    return duration;
  }

  /**
   * Where the tasks' time went, largest part first: each pipe's own code and each kind of Spark work,
   * sampled on the executors; empty unless the run was profiled ({@link RunOptions#profile()}).
   */
  public List<io.ddp.spark.profile.WorkProfile.Part> work() {
    return work;
  }

  /** Outputs kept in memory instead of written (see {@code PipelineTester}), by dataId. */
  public Map<String, Dataset<Row>> captured() {
    return captured;
  }

  /** One line: {@code quickstart succeeded in 4.2 s: 4 pipes, 1 sink (OutputData: 300 rows -> out/x)}. */
  public String summary() {
    StringBuilder sb = new StringBuilder(pipeline).append(" succeeded in ").append(seconds(duration)).append(": ")
        .append(pipes.size()).append(pipes.size() == 1 ? " pipe, " : " pipes, ")
        .append(sinks.size()).append(sinks.size() == 1 ? " sink" : " sinks");
    if (!sinks.isEmpty()) {
      sb.append(" (");
      for (int i = 0; i < sinks.size(); i++) {
        SinkWrite s = sinks.get(i);
        sb.append(i == 0 ? "" : "; ").append(s.dataId()).append(": ")
            .append(s.rows() < 0 ? "?" : String.valueOf(s.rows())).append(" rows -> ").append(s.location());
      }
      sb.append(')');
    }
    for (Quarantine q : quarantines) {
      if (q.bad() > 0) {
        sb.append("; ").append(q.dataId()).append(": ").append(q.bad()).append(" malformed rows quarantined -> ").append(q.location());
      }
    }
    return sb.toString();
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
