package io.ddp.spark.cli;

import io.ddp.ml.onnx.ModelLoads;
import io.ddp.spark.exec.RunResult;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ddp run --timings}: where the wall-clock time of one run went, from the launcher to the end:
 * launcher, JVM start, reading and validating the pipeline, the Spark session, the schema checks, each
 * pipe (its own code and the Spark jobs it started, which overlap when pipes run concurrently), each
 * sink's write and commit, each model load (checksum, ONNX Runtime session, tokenizer; with a local
 * master the executors are this JVM), and what the end of the run costs (metrics, report, state).
 */
final class Timings {
  /** Epoch milliseconds when {@code main} started, set by {@link io.ddp.spark.DdpMain}; 0 when run otherwise. */
  static volatile long mainStartedMillis;

  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final List<String[]> phases = new ArrayList<>();
  private long last = startNanos;

  /** Marks the end of a phase that started where the previous one ended. */
  void phase(String name) {
    long now = System.nanoTime();
    phases.add(new String[] {name, seconds(Duration.ofNanos(now - last))});
    last = now;
  }

  long startNanos() {
    return startNanos;
  }

  void print(RunResult result, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    String launched = System.getenv("DDP_LAUNCH_MS");
    long main = mainStartedMillis > 0 ? mainStartedMillis : startMillis;
    if (launched != null && launched.matches("[0-9]{10,16}")) {
      rows.add(new String[] {"launcher and JVM boot (./ddp, class-data archive)", seconds(Duration.ofMillis(Math.max(0, jvmStart - Long.parseLong(launched))))});
    }
    rows.add(new String[] {"JVM start to DDP's main", seconds(Duration.ofMillis(Math.max(0, main - jvmStart)))});
    rows.add(new String[] {"command line to this run", seconds(Duration.ofMillis(Math.max(0, startMillis - main)))});
    rows.addAll(phases);
    if (result != null) {
      for (RunResult.PipeOutcome p : result.pipes()) {
        rows.add(new String[] {"  pipe " + p.label(), seconds(p.duration())});
      }
      for (RunResult.SinkWrite s : result.sinks()) {
        rows.add(new String[] {"  sink " + s.dataId() + " (write and commit)", seconds(s.duration())});
      }
    }
    for (ModelLoads.Load l : ModelLoads.since(startNanos)) {
      String name = l.model().substring(l.model().lastIndexOf('/') + 1);
      rows.add(new String[] {"  model " + name + " loaded", seconds(l.total()) + "  (checksum " + seconds(l.checksum()) + ", ONNX session "
          + seconds(l.session()) + ", tokenizer " + seconds(l.tokenizer()) + ")"});
    }
    rows.add(new String[] {"total since the JVM started", seconds(Duration.ofMillis(System.currentTimeMillis() - jvmStart))});
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    out.println("timings (wall clock; pipes overlap when they run at once, and include their sinks and models):");
    for (String[] r : rows) {
      out.println("  " + r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
    }
    out.flush();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%6.2f s", d.toNanos() / 1e9);
  }
}
