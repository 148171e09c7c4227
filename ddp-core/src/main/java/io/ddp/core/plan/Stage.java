package io.ddp.core.plan;

import java.util.List;

/**
 * Pipes that can run once the previous stages are done, in declaration order.
 *
 * @param number 1-based
 * @param pipes in declaration order
 */
public record Stage(int number, List<PlannedPipe> pipes) {
  public Stage {
    pipes = List.copyOf(pipes);
  }
}
