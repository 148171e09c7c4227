package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;

/** A pipe (or the write of its output) failed at run time; the message names the pipe and the root cause. */
public class PipeFailedException extends DdpException {
  private static final long serialVersionUID = 1L;
  private final int index;
  private final transient RunResult result;

  public PipeFailedException(int index, String message, Throwable cause, RunResult result) {
    super(message, cause);
    this.index = index;
    this.result = result;
  }

  /** What the run did before it stopped: each pipe's outcome (failed, cancelled, skipped...) and the sinks committed. */
  public RunResult result() {
    return result;
  }

  /** The failed pipe's 1-based index, or 0 when the failure belongs to no single pipe. */
  public int index() {
    return index;
  }

}
