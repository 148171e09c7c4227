package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;

/** A pipe (or the write of its output) failed at run time; the message names the pipe and the root cause. */
public class PipeFailedException extends DdpException {
  private static final long serialVersionUID = 1L;
  private final int index;

  public PipeFailedException(int index, String message, Throwable cause) {
    super(message, cause);
    this.index = index;
  }

  /** The failed pipe's 1-based index, or 0 when the failure belongs to no single pipe. */
  public int index() {
    return index;
  }

  /** The deepest cause's class and message, for one-line reports. */
  public static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    int nl = message.indexOf('\n');
    if (nl >= 0) {
      message = message.substring(0, nl);
    }
    return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
