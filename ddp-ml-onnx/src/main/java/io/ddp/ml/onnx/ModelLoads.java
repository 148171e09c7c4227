package io.ddp.ml.onnx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every model this JVM loaded, and where the time of each load went: the checksum of the file, the
 * ONNX Runtime session, the tokenizer. {@code ddp run --timings} prints the loads of its run (with a
 * local master, the executors are this JVM).
 */
public final class ModelLoads {
  /**
   * One load.
   *
   * @param model the model's location as declared
   * @param startNanos {@link System#nanoTime()} when it started
   * @param checksum verifying the declared SHA-256 (zero when none is declared)
   * @param session creating the ONNX Runtime session
   * @param tokenizer loading the tokenizer (zero without one)
   */
  public record Load(String model, long startNanos, Duration checksum, Duration session, Duration tokenizer) {
    public Duration total() {
      return checksum.plus(session).plus(tokenizer);
    }
  }

  private static final List<Load> LOADS = new CopyOnWriteArrayList<>();

  private ModelLoads() {}

  static void record(Load load) {
    LOADS.add(load);
  }

  /** The loads that started at or after {@code nanoTime}. */
  public static List<Load> since(long nanoTime) {
    return LOADS.stream().filter(l -> l.startNanos() - nanoTime >= 0).toList();
  }
}
