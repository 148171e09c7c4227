package io.ddp.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.spark.exec.RunListener;
import io.ddp.spark.exec.RunResult;
import java.io.IOException;
import io.ddp.spark.exec.DriverFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * The small file that lets {@code ddp run --resume} continue a failed run: which pipeline (and a
 * fingerprint of its resolved declaration), which pipes the run selected, which sinks it committed,
 * and how it ended. One file per pipeline file, in the state directory (a local directory, or a
 * Hadoop URI such as {@code s3a://bucket/ddp/state} for a driver whose disk does not outlive it);
 * rewritten whole, never left half written.
 */
final class RunState implements RunListener {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /**
   * What the file holds. {@code lineages}: for each committed sink, the fingerprint of its own
   * lineage ({@link #lineage}) when it was committed; absent in files of older DDP versions.
   */
  record Record(String pipeline, String fingerprint, String runId, String status, String startedAt, String endedAt,
      List<Integer> selected, List<String> committed, String error, Map<String, String> lineages) {
    Record {
      lineages = lineages == null ? null : new java.util.TreeMap<>(lineages);
    }

    Record with(String status, String endedAt, List<String> committed, String error, Map<String, String> lineages) {
      return new Record(pipeline, fingerprint, runId, status, startedAt, endedAt, selected, committed, error, lineages);
    }
  }

  private final String file;
  private final Configuration conf;
  private final Map<String, String> sinkLineages;
  private Record record;

  private RunState(String file, Configuration conf, Record record, Map<String, String> sinkLineages) {
    this.file = file;
    this.conf = conf;
    this.record = record;
    this.sinkLineages = sinkLineages;
  }

  /** The state file of a pipeline file in a state directory. */
  static String fileFor(String stateDir, String pipelineFile, String pipelineName) {
    return DriverFiles.resolve(stateDir, pipelineName.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + sha256(pipelineFile).substring(0, 12) + ".json");
  }

  /** The previous run's record, if any. */
  static Optional<Record> read(String file, Configuration conf) {
    Optional<String> text;
    try {
      text = DriverFiles.read(file, conf);
    } catch (IOException | RuntimeException e) {
      // Unreachable, not damaged: deleting it would lose what --resume needs.
      throw new DdpException("Cannot read run state " + file + ": " + e.getMessage() + "; check that its --state-dir is"
          + " reachable from the driver (connector jar, credentials, endpoint) and run again", e);
    }
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(text.get(), Record.class));
    } catch (IOException | RuntimeException e) {
      throw new DdpException("Cannot read run state " + file + ": " + e.getMessage() + "; delete it to start afresh", e);
    }
  }

  /** Starts recording a run (status running) and returns the listener that keeps the file current. */
  static RunState start(String file, Configuration conf, String pipelineFile, ExecutionPlan plan, String runId, Set<Integer> selected) {
    Map<String, String> lineages = new java.util.TreeMap<>();
    for (String id : plan.data().keySet()) {
      if (plan.role(id) == ExecutionPlan.Role.SINK) {
        lineages.put(id, lineage(plan, id));
      }
    }
    RunState state = new RunState(file, conf, new Record(pipelineFile, fingerprint(plan.pipeline()),
        runId, "running", Instant.now().toString(), null, List.copyOf(selected), List.of(), null, Map.of()), lineages);
    state.save();
    return state;
  }

  /** Keeps sinks an earlier attempt committed, so a second failure can still resume from all of them. */
  RunState carryOver(List<String> committed) {
    synchronized (this) {
      Set<String> all = new LinkedHashSet<>(committed);
      all.addAll(record.committed());
      record = record.with(record.status(), null, new ArrayList<>(all), null, lineagesOf(all));
      save();
    }
    return this;
  }

  @Override
  public synchronized void sinkCommitted(RunResult.SinkWrite write) {
    List<String> committed = new ArrayList<>(record.committed());
    if (!committed.contains(write.dataId())) {
      committed.add(write.dataId());
    }
    record = record.with(record.status(), null, committed, null, lineagesOf(committed));
    save();
  }

  synchronized void finish(boolean succeeded, String error) {
    record = record.with(succeeded ? "succeeded" : "failed", Instant.now().toString(), record.committed(), error, record.lineages());
    save();
  }

  private void save() {
    try {
      DriverFiles.write(file, JSON.writeValueAsString(record), conf);
    } catch (IOException | RuntimeException e) {
      throw new DdpException("Cannot write run state " + file + ": " + e.getMessage()
          + "; choose a writable directory with --state-dir", e);
    }
  }

  private Map<String, String> lineagesOf(java.util.Collection<String> committed) {
    Map<String, String> out = new java.util.TreeMap<>();
    committed.forEach(id -> {
      String l = sinkLineages.get(id);
      if (l != null) {
        out.put(id, l);
      }
    });
    return out;
  }

  /**
   * A fingerprint of what a dataset's content depends on: its declaration, the declarations of every
   * dataset and pipe upstream of it (resolved, so the variables they use are in), and the pipeline's
   * Spark settings. A change anywhere else in the file leaves it unchanged.
   */
  static String lineage(ExecutionPlan plan, String dataId) {
    Map<String, Object> parts = new java.util.TreeMap<>();
    parts.put("spark", plan.pipeline().spark());
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(dataId));
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (parts.containsKey("data:" + id)) {
        continue;
      }
      parts.put("data:" + id, plan.data(id));
      plan.producer(id).ifPresent(p -> {
        parts.put("pipe->" + id, p.declaration());
        todo.addAll(p.declaration().inputDataId());
      });
    }
    try {
      return sha256(JSON.writeValueAsString(parts));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot fingerprint the lineage of " + dataId, e);
    }
  }

  /** A fingerprint of the resolved declaration: resuming a changed pipeline would mix two versions. */
  static String fingerprint(PipelineDeclare pipeline) {
    try {
      return sha256(JSON.writeValueAsString(pipeline));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot fingerprint pipeline " + pipeline.name(), e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
