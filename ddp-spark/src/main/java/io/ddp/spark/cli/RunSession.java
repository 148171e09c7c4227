package io.ddp.spark.cli;

import io.ddp.core.plan.ExecutionPlan;
import io.ddp.metrics.MetricDatum;
import io.ddp.metrics.MetricSink;
import io.ddp.metrics.MetricsPublisher;
import io.ddp.spark.exec.LivePicture;
import io.ddp.spark.exec.ProgressMonitor;
import io.ddp.spark.exec.RunListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What one {@code ddp run} holds open: the SparkSession (stopped at the end unless it was there
 * before, e.g. under spark-submit's or a test's), and, once the run starts, the metrics publisher,
 * the progress monitor and the live picture. Closing it releases each exactly once.
 */
final class RunSession implements AutoCloseable {
  /** How long the publisher may take to send its final batch. */
  private static final Duration FINAL_FLUSH = Duration.ofSeconds(10);

  private final SparkSession spark;
  private final boolean existing;
  private final ExecutionPlan plan;
  private MetricsPublisher publisher;
  private ProgressMonitor progress;
  private LivePicture picture;
  private boolean metricsFinished;

  private RunSession(SparkSession spark, boolean existing, ExecutionPlan plan) {
    this.spark = spark;
    this.existing = existing;
    this.plan = plan;
  }

  /** The run's session: the one {@code early} started (or starts now) for the validated plan. */
  static RunSession open(ExecutionPlan plan, EarlyStart early) {
    return new RunSession(early.session(plan.pipeline()), early.existing(), plan);
  }

  SparkSession spark() {
    return spark;
  }

  /**
   * Starts publishing metrics (and drawing the picture, when {@code viz} is given); returns the
   * listeners the run must tell.
   */
  List<RunListener> startMetrics(List<MetricSink> sinks, Duration interval, Duration progressEvery, String viz,
      org.apache.hadoop.conf.Configuration files) {
    publisher = MetricsPublisher.start(sinks, interval, FINAL_FLUSH);
    MetricsPublisher p = publisher;
    progress = new ProgressMonitor(spark.sparkContext(), plan.pipeline().name(), progressEvery, p::record);
    List<RunListener> listeners = new ArrayList<>();
    listeners.add(progress);
    listeners.add(new RunListener() {
      @Override
      public void metrics(List<MetricDatum> data) {
        p.record(data);
      }
    });
    if (viz != null) {
      picture = new LivePicture(plan, viz, files);
      listeners.add(picture);
    }
    return listeners;
  }

  /** Stops sampling progress and sends the last metrics; before the report is written. */
  void finishMetrics() {
    if (metricsFinished) {
      return;
    }
    metricsFinished = true;
    if (progress != null) {
      progress.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }

  @Override
  public void close() {
    try {
      if (picture != null) {
        picture.close();
      }
      finishMetrics();
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }
}
