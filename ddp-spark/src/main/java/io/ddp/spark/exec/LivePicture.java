package io.ddp.spark.exec;

import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.metrics.MetricDatum;
import io.ddp.viz.DagPicture;
import io.ddp.viz.PictureRenderer;
import io.ddp.viz.PipeView;
import io.ddp.viz.RunView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-renders the DAG picture whenever a pipe changes state, on its own thread, keeping only the
 * newest picture to draw: rendering never slows or fails the run (a failure is logged once). The
 * last render, on {@link #close()}, is the final state.
 */
public final class LivePicture implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LivePicture.class);

  private final ExecutionPlan plan;
  private final String out;
  private final org.apache.hadoop.conf.Configuration conf;
  private final Map<Integer, PipeView> pipes = new ConcurrentHashMap<>();
  private final Map<Integer, Instant> started = new ConcurrentHashMap<>();
  private final Map<String, List<String>> notes = new ConcurrentHashMap<>();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ddp-viz");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile int renders;

  /** Draws into a local file. */
  public LivePicture(ExecutionPlan plan, Path out) {
    this(plan, out.toString(), new org.apache.hadoop.conf.Configuration());
  }

  /**
   * Draws into a local path or a Hadoop URI ({@code s3a://.../dag.svg}): a remote picture is drawn
   * into a local temporary file and then written whole, so a reader never sees half a picture.
   */
  public LivePicture(ExecutionPlan plan, String out, org.apache.hadoop.conf.Configuration conf) {
    this.plan = plan;
    this.out = out;
    this.conf = conf;
    requestRender();
  }

  /** How many pictures were drawn so far. */
  public int renders() {
    return renders;
  }

  /** The current state as the picture shows it. */
  public RunView view() {
    Map<Integer, PipeView> snapshot = new LinkedHashMap<>(pipes);
    started.forEach((index, at) -> snapshot.computeIfPresent(index, (k, v) -> v.state() == PipeView.State.RUNNING
        ? new PipeView(v.state(), java.time.Duration.between(at, Instant.now()).toMillis() / 1000.0, v.rows(), v.error()) : v));
    Map<String, List<String>> n = new LinkedHashMap<>();
    notes.forEach((k, v) -> n.put(k, List.copyOf(v)));
    return new RunView(snapshot, n);
  }

  @Override
  public void pipeStarted(PlannedPipe pipe) {
    started.put(pipe.index(), Instant.now());
    pipes.put(pipe.index(), new PipeView(PipeView.State.RUNNING, 0, -1, null));
    requestRender();
  }

  @Override
  public void pipeFinished(RunResult.PipeOutcome o) {
    PipeView.State state = PipeView.State.valueOf(o.status().name());
    pipes.put(o.index(), new PipeView(state, o.status() == RunResult.Status.SKIPPED ? -1 : o.duration().toMillis() / 1000.0,
        o.rows(), o.error()));
    started.remove(o.index());
    requestRender();
  }

  @Override
  public void sinkCommitted(RunResult.SinkWrite write) {
    if (write.rows() >= 0) {
      note(write.dataId(), write.rows() + " rows written");
    }
  }

  @Override
  public void metrics(List<MetricDatum> data) {
    for (MetricDatum d : data) {
      String dataset = d.dimensions().get("dataset");
      String metric = d.dimensions().get("metric");
      if (dataset != null && metric != null) {
        StringBuilder groups = new StringBuilder();
        d.dimensions().forEach((k, v) -> {
          if (!List.of("pipeline", "pipe", "dataset", "metric").contains(k)) {
            groups.append(groups.length() == 0 ? "[" : ", ").append(k).append('=').append(v);
          }
        });
        note(dataset, metric + (groups.length() > 0 ? groups + "]" : "") + " = " + formatValue(d.value()));
      }
    }
    requestRender();
  }

  private static String formatValue(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.4g", v);
  }

  private void note(String dataId, String line) {
    notes.computeIfAbsent(dataId, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(line);
  }

  private void requestRender() {
    if (queued.compareAndSet(false, true)) {
      thread.submit(() -> {
        queued.set(false);
        draw();
      });
    }
  }

  private void draw() {
    try {
      String dot = DagPicture.dot(plan, view());
      java.util.Optional<Path> local = DriverFiles.localPath(out);
      if (local.isPresent()) {
        PictureRenderer.render(dot, local.get());
      } else {
        String name = new org.apache.hadoop.fs.Path(out).getName();
        Path tmp = java.nio.file.Files.createTempFile("ddp-viz", name.substring(Math.max(0, name.lastIndexOf('.'))));
        try {
          PictureRenderer.render(dot, tmp);
          DriverFiles.write(out, java.nio.file.Files.readAllBytes(tmp), conf);
        } finally {
          java.nio.file.Files.deleteIfExists(tmp);
        }
      }
      renders++;
    } catch (java.io.IOException | RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn("cannot draw {} (the run goes on): {}", out, e.getMessage());
      }
    }
  }

  /** Draws the final state and stops (waiting at most 60 s for Graphviz). */
  @Override
  public void close() {
    thread.submit(this::draw);
    thread.shutdown();
    try {
      if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("drawing {} took over 60 s; left unfinished", out);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
