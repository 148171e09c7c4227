package io.ddp.spark.exec;

import io.ddp.core.plan.PlannedPipe;
import io.ddp.metrics.MetricDatum;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live progress of running pipes: a SparkListener attributes every task to its pipe through the job
 * group DDP sets ({@code ddp-RUN-INDEX}), and a timer logs, and publishes as gauges, each running
 * pipe's tasks done/total and records processed (read plus written) every few seconds.
 */
public final class ProgressMonitor implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.PROGRESS_LOGGER);
  private static final Pattern GROUP = Pattern.compile("ddp-[0-9a-f]{8}-([0-9]+)");

  /** Counters of one pipe. */
  public static final class Progress {
    final AtomicLong tasksTotal = new AtomicLong();
    final AtomicLong tasksDone = new AtomicLong();
    final AtomicLong records = new AtomicLong();
    final Instant started = Instant.now();

    public long tasksTotal() {
      return tasksTotal.get();
    }

    public long tasksDone() {
      return tasksDone.get();
    }

    public long records() {
      return records.get();
    }
  }

  private final SparkContext sc;
  private final String pipeline;
  private final Consumer<List<MetricDatum>> publish;
  private final Map<Integer, PlannedPipe> running = new ConcurrentHashMap<>();
  private final Map<Integer, Progress> progress = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> stagePipe = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> jobPipe = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final SparkListener listener = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
      Matcher m = group == null ? null : GROUP.matcher(group);
      if (m != null && m.matches()) {
        int index = Integer.parseInt(m.group(1));
        jobPipe.put(start.jobId(), index);
        scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos()).forEach(s -> stagePipe.put(s.stageId(), index));
      }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
      Integer index = stagePipe.get(submitted.stageInfo().stageId());
      if (index != null) {
        progress.computeIfAbsent(index, k -> new Progress()).tasksTotal.addAndGet(submitted.stageInfo().numTasks());
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      Integer index = stagePipe.get(end.stageId());
      if (index == null) {
        return;
      }
      Progress p = progress.computeIfAbsent(index, k -> new Progress());
      p.tasksDone.incrementAndGet();
      if (end.taskMetrics() != null) {
        p.records.addAndGet(end.taskMetrics().inputMetrics().recordsRead() + end.taskMetrics().outputMetrics().recordsWritten());
      }
    }
  };

  /**
   * Starts monitoring.
   *
   * @param every how often running pipes are logged and published; zero or negative for never
   * @param publish where the progress gauges go (e.g. the metrics publisher)
   */
  public ProgressMonitor(SparkContext sc, String pipeline, Duration every, Consumer<List<MetricDatum>> publish) {
    this.sc = sc;
    this.pipeline = pipeline;
    this.publish = publish;
    sc.addSparkListener(listener);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ddp-progress");
      t.setDaemon(true);
      return t;
    });
    if (!every.isZero() && !every.isNegative()) {
      timer.scheduleAtFixedRate(this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Progress so far, by 1-based pipe index. */
  public Map<Integer, Progress> progress() {
    return Map.copyOf(progress);
  }

  @Override
  public void pipeStarted(PlannedPipe pipe) {
    running.put(pipe.index(), pipe);
    progress.computeIfAbsent(pipe.index(), k -> new Progress());
  }

  @Override
  public void pipeFinished(RunResult.PipeOutcome outcome) {
    running.remove(outcome.index());
  }

  void report() {
    List<MetricDatum> data = new ArrayList<>();
    Instant now = Instant.now();
    for (PlannedPipe p : running.values()) {
      Progress pr = progress.computeIfAbsent(p.index(), k -> new Progress());
      LOG.info("progress {}: {}/{} tasks, {} records, {} s", p.label(), pr.tasksDone(), pr.tasksTotal(), pr.records(),
          Duration.between(pr.started, now).toSeconds());
      Map<String, String> dims = Map.of("pipeline", pipeline, "pipe", p.label());
      data.add(new MetricDatum("pipe.tasksDone", pr.tasksDone(), "Count", now, dims));
      data.add(new MetricDatum("pipe.tasksTotal", pr.tasksTotal(), "Count", now, dims));
      data.add(new MetricDatum("pipe.records", pr.records(), "Count", now, dims));
    }
    if (!data.isEmpty()) {
      publish.accept(data);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sc.removeSparkListener(listener);
  }
}
