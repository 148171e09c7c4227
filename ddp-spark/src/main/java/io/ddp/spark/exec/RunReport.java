package io.ddp.spark.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.exceptions.DdpException;
import io.ddp.metrics.MetricDatum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The JSON report written at the end of a run, successful or not: every pipe's status, duration and
 * rows, every sink, quarantined rows, and every metric value. Tools (e.g. the DAG picture) read it.
 *
 * <pre>{@code
 * {"pipeline": "quickstart", "runId": "1a2b3c4d", "status": "succeeded", "endedAt": "...", "durationSeconds": 6.1,
 *  "pipes": [{"index": 1, "label": "#1 ...", "status": "SUCCEEDED", "durationSeconds": 0.8, "rows": 320, "error": null}],
 *  "work": [{"what": "#2 detect", "pipe": true, "taskSeconds": 12.3, "share": 0.71}, {"what": "write", ...}] (--profile),
 *  "sinks": [...], "quarantines": [...], "expectations": [{"dataId": "Docs", "name": "hasText", "check": "length(text) > 0",
 *  "onViolation": "drop", "rows": 320, "violations": 2}], "metrics": [{"name": "...", "value": 320.0, "unit": "Count", "dimensions": {...}}]}
 * }</pre>
 */
public final class RunReport {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private RunReport() {}

  public static ObjectNode toJson(RunResult result, String status, String error) {
    ObjectNode root = JSON.createObjectNode();
    root.put("pipeline", result.pipeline());
    root.put("runId", result.runId());
    root.put("status", status);
    root.put("error", error);
    root.put("endedAt", Instant.now().toString());
    root.put("durationSeconds", result.duration().toMillis() / 1000.0);
    ArrayNode pipes = root.putArray("pipes");
    for (RunResult.PipeOutcome p : result.pipes()) {
      ObjectNode n = pipes.addObject();
      n.put("index", p.index());
      n.put("label", p.label());
      n.put("status", p.status().name());
      n.put("durationSeconds", p.duration().toMillis() / 1000.0);
      if (p.rows() >= 0) {
        n.put("rows", p.rows());
      } else {
        n.putNull("rows");
      }
      n.put("error", p.error());
    }
    if (!result.work().isEmpty()) {
      ArrayNode work = root.putArray("work");
      for (io.ddp.spark.profile.WorkProfile.Part w : result.work()) {
        ObjectNode n = work.addObject();
        n.put("what", w.what());
        n.put("pipe", w.pipe());
        n.put("taskSeconds", Math.round(w.seconds() * 1000) / 1000.0);
        n.put("share", Math.round(w.share() * 10000) / 10000.0);
      }
    }
    ArrayNode sinks = root.putArray("sinks");
    for (RunResult.SinkWrite s : result.sinks()) {
      ObjectNode n = sinks.addObject();
      n.put("dataId", s.dataId());
      n.put("location", s.location());
      n.put("rows", s.rows());
      n.put("written", s.written());
      n.put("durationSeconds", s.duration().toMillis() / 1000.0);
    }
    ArrayNode quarantines = root.putArray("quarantines");
    for (RunResult.Quarantine q : result.quarantines()) {
      ObjectNode n = quarantines.addObject();
      n.put("dataId", q.dataId());
      n.put("good", q.good());
      n.put("bad", q.bad());
      n.put("location", q.location());
    }
    ArrayNode expectations = root.putArray("expectations");
    for (RunResult.ExpectationOutcome e : result.expectations()) {
      ObjectNode n = expectations.addObject();
      n.put("dataId", e.dataId());
      n.put("name", e.name());
      n.put("check", e.check());
      n.put("onViolation", e.action());
      n.put("rows", e.rows());
      n.put("violations", e.violations());
    }
    ArrayNode metrics = root.putArray("metrics");
    for (MetricDatum d : result.metrics()) {
      metrics.add(d.toJson());
    }
    return root;
  }

  /** Writes the report to a local file atomically (a temporary file renamed into place). */
  public static void write(Path file, RunResult result, String status, String error) {
    write(file.toString(), new org.apache.hadoop.conf.Configuration(), result, status, error);
  }

  /**
   * Writes the report whole to a local path or a Hadoop URI ({@code s3a://...}, {@code hdfs://...}),
   * see {@link DriverFiles#write(String, String, org.apache.hadoop.conf.Configuration)}.
   */
  public static void write(String file, org.apache.hadoop.conf.Configuration conf, RunResult result, String status, String error) {
    try {
      DriverFiles.write(file, JSON.writeValueAsString(toJson(result, status, error)), conf);
    } catch (IOException | RuntimeException e) {
      throw new DdpException("Cannot write the run report to " + file + ": " + e.getMessage()
          + "; choose a writable path with --report or metricsConfig.report", e);
    }
  }
}
