package io.ddp.spark.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the executors' time went, from {@link PipeProfiler}'s samples: the driver collects them here
 * by job group, and a run takes the parts of its own groups ({@code ddp-RUN-...}) at its end.
 */
public final class WorkProfile {
  /**
   * One part of the tasks' time.
   *
   * @param what a pipe's label, or a kind of Spark work: read, write, shuffle, sort, compress, spark (other
   *     SQL operators), waiting (task threads not running: fetching shuffle blocks, waiting on I/O or locks)
   * @param pipe true when {@code what} is a pipe's code
   * @param seconds task-thread seconds (samples times the sampling interval)
   * @param share of all sampled task time
   */
  public record Part(String what, boolean pipe, double seconds, double share) {}

  /** Microseconds of samples, by job group and then by what the thread was doing. */
  private static final Map<String, Map<String, LongAdder>> BY_GROUP = new ConcurrentHashMap<>();

  private WorkProfile() {}

  static void record(WorkSamples s) {
    Map<String, LongAdder> g = BY_GROUP.computeIfAbsent(s.group(), k -> new ConcurrentHashMap<>());
    s.counts().forEach((what, n) -> g.computeIfAbsent(what, k -> new LongAdder()).add(n * s.intervalMillis() * 1000));
  }

  /**
   * The local property value that makes a job's tasks sampled: each pipe class with the label of its
   * pipe(s). Set it with {@code sc.setLocalProperty(PipeProfiler.CLASSES, ...)} around the job.
   *
   * @param pipeByClass pipe labels by class name (several pipes of one class: their labels joined)
   */
  public static String request(Map<String, String> pipeByClass) {
    return StackClassifier.format(pipeByClass);
  }

  /**
   * Removes and returns the parts of every job group starting with {@code groupPrefix}, largest first.
   *
   * @param pipeLabels the labels that are pipes
   */
  public static List<Part> take(String groupPrefix, java.util.Collection<String> pipeLabels) {
    Map<String, Long> micros = new java.util.HashMap<>();
    for (String group : List.copyOf(BY_GROUP.keySet())) {
      if (group.startsWith(groupPrefix)) {
        Map<String, LongAdder> g = BY_GROUP.remove(group);
        if (g != null) {
          g.forEach((what, n) -> micros.merge(what, n.sum(), Long::sum));
        }
      }
    }
    double total = micros.values().stream().mapToLong(Long::longValue).sum();
    List<Part> parts = new ArrayList<>();
    micros.forEach((what, us) -> parts.add(new Part(what, pipeLabels.contains(what), us / 1e6, total == 0 ? 0 : us / total)));
    parts.sort(Comparator.comparingDouble(Part::seconds).reversed().thenComparing(Part::what));
    return List.copyOf(parts);
  }

  /** One line: {@code #5 detect 71% (612.0 s), write 8% (70.1 s), ...}; empty when nothing was sampled. */
  public static String describe(List<Part> parts) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.what()).append(' ')
          .append(Math.round(p.share() * 100)).append("% (").append(String.format(java.util.Locale.ROOT, "%.1f s", p.seconds())).append(')');
    }
    return sb.toString();
  }
}
