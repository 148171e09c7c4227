package io.ddp.spark.profile;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * A Spark plugin that tells where the executors' time goes, pipe by pipe, although pipes are lazy and
 * all their work happens inside the jobs of the sinks' writes: while a profiled job's tasks run, each
 * executor samples their stacks and attributes every sample to the pipe whose code it was in, or to
 * a kind of Spark's own work (read, write, shuffle, sort, compress, other SQL operators, waiting).
 * DDP adds it to {@code spark.plugins} of the sessions it creates; {@code ddp run --profile} turns
 * sampling on for a run, and the run's result and report carry {@link WorkProfile.Part}s.
 */
public final class PipeProfiler implements SparkPlugin {
  /** Local property that asks the executors to sample a job's tasks: the pipe classes and their labels. */
  public static final String CLASSES = "ddp.profile.classes";
  /** Spark conf: milliseconds between two samples of a task thread. */
  public static final String INTERVAL_CONF = "spark.ddp.profile.intervalMillis";
  public static final long DEFAULT_INTERVAL_MILLIS = 20;

  @Override
  public DriverPlugin driverPlugin() {
    return new ProfileReceiver();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new TaskSampler();
  }
}
