package io.ddp.core.plan;

import io.ddp.core.graph.DataGraph;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.PipelineDeclare;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated pipeline in execution order: stages of pipes, plus what each dataset is to the run
 * (source, intermediate or sink) and who reads it. Immutable; made by {@link Planner#plan}.
 */
public final class ExecutionPlan {
  /** What a dataset is to the run. */
  public enum Role {
    /** Nothing produces it: it is read from its location. */
    SOURCE,
    /** Produced and kept in memory only. */
    INTERMEDIATE,
    /** Produced and written to its location. */
    SINK
  }

  private final PipelineDeclare pipeline;
  private final DataGraph graph;
  private final List<Stage> stages;
  private final List<PlannedPipe> order;
  private final Map<String, DataDeclare> data;
  private final PlannedPipe[] byIndex;

  ExecutionPlan(PipelineDeclare pipeline, DataGraph graph, List<Stage> stages) {
    this.pipeline = pipeline;
    this.graph = graph;
    this.stages = List.copyOf(stages);
    List<PlannedPipe> all = new ArrayList<>();
    stages.forEach(s -> all.addAll(s.pipes()));
    this.order = Collections.unmodifiableList(all);
    this.byIndex = new PlannedPipe[all.size() + 1];
    all.forEach(p -> byIndex[p.index()] = p);
    Map<String, DataDeclare> byId = new LinkedHashMap<>();
    pipeline.data().forEach(d -> byId.putIfAbsent(d.dataId(), d));
    this.data = Collections.unmodifiableMap(byId);
  }

  public PipelineDeclare pipeline() {
    return pipeline;
  }

  public DataGraph graph() {
    return graph;
  }

  public List<Stage> stages() {
    return stages;
  }

  /** Every pipe, stage by stage, in declaration order within a stage. */
  public List<PlannedPipe> order() {
    return order;
  }

  /** Every declared dataset by id, in declaration order. */
  public Map<String, DataDeclare> data() {
    return data;
  }

  public DataDeclare data(String dataId) {
    DataDeclare d = data.get(dataId);
    if (d == null) {
      throw new IllegalArgumentException("Cannot find dataset '" + dataId + "' in pipeline " + pipeline.name());
    }
    return d;
  }

  public Role role(String dataId) {
    if (graph.producer(dataId) == null) {
      return Role.SOURCE;
    }
    return data(dataId).hasLocation() ? Role.SINK : Role.INTERMEDIATE;
  }

  /** The pipe that produces the dataset; empty for a source. */
  public Optional<PlannedPipe> producer(String dataId) {
    Integer p = graph.producer(dataId);
    return p == null ? Optional.empty() : Optional.of(pipe(p));
  }

  /** The pipes that read the dataset, by index. */
  public List<PlannedPipe> readers(String dataId) {
    List<PlannedPipe> out = new ArrayList<>();
    graph.readers(dataId).forEach(p -> out.add(pipe(p)));
    return out;
  }

  /** The pipe at a 1-based index. */
  public PlannedPipe pipe(int index) {
    if (index >= 1 && index < byIndex.length) {
      return byIndex[index];
    }
    throw new IllegalArgumentException("Cannot find pipe #" + index + "; the pipeline has " + order.size());
  }

  /** Datasets with the given role, in declaration order. */
  public List<DataDeclare> datasets(Role role) {
    List<DataDeclare> out = new ArrayList<>();
    data.values().forEach(d -> {
      if (role(d.dataId()) == role) {
        out.add(d);
      }
    });
    return out;
  }
}
