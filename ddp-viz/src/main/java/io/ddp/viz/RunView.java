package io.ddp.viz;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a run for the picture: each pipe's state, and notes per dataset (rows written,
 * declared metric values). Immutable; {@link #EMPTY} before a run.
 *
 * @param pipes by 1-based transformer index; pipes absent are pending
 * @param notes by dataId, lines such as {@code "320 rows written"} or {@code "scoredReviews = 320"}
 */
public record RunView(Map<Integer, PipeView> pipes, Map<String, List<String>> notes) {
  public static final RunView EMPTY = new RunView(Map.of(), Map.of());

  public RunView {
    pipes = Collections.unmodifiableMap(new LinkedHashMap<>(pipes));
    Map<String, List<String>> copy = new LinkedHashMap<>();
    notes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    notes = Collections.unmodifiableMap(copy);
  }

  public PipeView pipe(int index) {
    return pipes.getOrDefault(index, PipeView.PENDING);
  }
}
