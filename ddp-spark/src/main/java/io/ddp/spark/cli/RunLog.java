package io.ddp.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.metrics.MetricDatum;
import io.ddp.spark.exec.DriverFiles;
import io.ddp.spark.exec.RunListener;
import io.ddp.spark.exec.RunResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of a {@code ddp run} as JSON lines, next to its run state ({@code NAME-HASH.events.jsonl}
 * in the state directory), so that another process (DDP Studio) can follow a run in progress: one
 * {@code run} line when it starts (the pipes it will run), then {@code pipeStarted},
 * {@code pipeFinished} (status, rows, seconds, error), {@code sinkCommitted}, {@code metrics}, and
 * an {@code end} line (status, error, the report's path). Each run starts the file afresh. Written
 * only when the state directory is local; a line that cannot be written is logged and never fails the run.
 */
public final class RunLog implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Writer out;

  private RunLog(Writer out) {
    this.out = out;
  }

  /** The events file of a run whose state file is {@code stateFile}. */
  public static String fileFor(String stateFile) {
    return stateFile.replaceAll("\\.json$", "") + ".events.jsonl";
  }

  /** The events file of {@code pipelineFile}'s runs with {@code stateDir}, as {@code ddp run} names it. */
  public static String fileFor(String stateDir, String pipelineFile, String pipelineName) {
    return fileFor(RunState.fileFor(stateDir, pipelineFile, pipelineName));
  }

  /** Starts the log of a run (nothing is written when the state file is not local). */
  static Optional<RunLog> start(String stateFile, String pipeline, String runId, List<PlannedPipe> pipes) {
    Optional<Path> local = DriverFiles.localPath(fileFor(stateFile));
    if (local.isEmpty()) {
      return Optional.empty();
    }
    try {
      Path file = local.get().toAbsolutePath();
      Files.createDirectories(file.getParent());
      RunLog log = new RunLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
      Map<String, Object> start = event("run");
      start.put("pipeline", pipeline);
      start.put("runId", runId);
      start.put("pipes", pipes.stream().map(p -> Map.of("index", p.index(), "label", p.label())).toList());
      log.write(start);
      return Optional.of(log);
    } catch (IOException e) {
      LOG.warn("cannot write the run's events to {}: {}", local.get(), e.toString());
      return Optional.empty();
    }
  }

  @Override
  public void pipeStarted(PlannedPipe pipe) {
    Map<String, Object> e = event("pipeStarted");
    e.put("index", pipe.index());
    e.put("label", pipe.label());
    write(e);
  }

  @Override
  public void pipeFinished(RunResult.PipeOutcome o) {
    Map<String, Object> e = event("pipeFinished");
    e.put("index", o.index());
    e.put("label", o.label());
    e.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
    e.put("seconds", o.duration() == null ? null : o.duration().toMillis() / 1000.0);
    e.put("rows", o.rows());
    e.put("error", o.error());
    write(e);
  }

  @Override
  public void sinkCommitted(RunResult.SinkWrite w) {
    Map<String, Object> e = event("sinkCommitted");
    e.put("dataId", w.dataId());
    e.put("location", w.location());
    e.put("rows", w.rows());
    e.put("written", w.written());
    write(e);
  }

  @Override
  public void metrics(List<MetricDatum> data) {
    Map<String, Object> e = event("metrics");
    e.put("data", data.stream().map(d -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", d.name());
      m.put("value", Double.isFinite(d.value()) ? d.value() : null);
      m.put("unit", d.unit());
      m.put("dimensions", d.dimensions());
      return m;
    }).toList());
    write(e);
  }

  /** The last line: how the run ended and where its report is. */
  void end(String status, String error, String report) {
    Map<String, Object> e = event("end");
    e.put("status", status);
    e.put("error", error);
    e.put("report", report);
    write(e);
  }

  private static Map<String, Object> event(String type) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("at", Instant.now().toString());
    return e;
  }

  private synchronized void write(Map<String, Object> event) {
    try {
      out.write(JSON.writeValueAsString(event));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      LOG.warn("cannot write a run event: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.warn("cannot close the run's events file: {}", e.toString());
    }
  }
}
