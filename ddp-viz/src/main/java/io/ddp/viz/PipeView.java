package io.ddp.viz;

/**
 * What the picture shows of one pipe.
 *
 * @param state where it is in the run
 * @param seconds its duration so far or in all; negative when unknown
 * @param rows rows of its output; negative when unknown
 * @param error the first line of its failure, or null
 */
public record PipeView(State state, double seconds, long rows, String error) {
  /** Where a pipe is in a run. */
  public enum State { PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED }

  public static final PipeView PENDING = new PipeView(State.PENDING, -1, -1, null);
}
