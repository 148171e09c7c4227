package io.ddp.spark.exec;

import io.ddp.core.plan.PlannedPipe;

/**
 * Hears what a run does, as it happens, from the thread that did it: the run state file, live
 * pictures and metrics plug in here. Implementations must be thread-safe and quick; an exception
 * thrown here is logged and never fails the run.
 */
public interface RunListener {
  /** A pipe is about to run. */
  default void pipeStarted(PlannedPipe pipe) {}

  /** A pipe ended: succeeded, failed, cancelled; or it was skipped because the run failed first. */
  default void pipeFinished(RunResult.PipeOutcome outcome) {}

  /** A sink was written and moved into place. */
  default void sinkCommitted(RunResult.SinkWrite write) {}

  /** Metric values were computed: declared metrics of a dataset, a pipe's built-in ones, code metrics. */
  default void metrics(java.util.List<io.ddp.metrics.MetricDatum> data) {}
}
