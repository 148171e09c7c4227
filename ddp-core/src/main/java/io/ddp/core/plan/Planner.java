package io.ddp.core.plan;

import io.ddp.core.graph.DataGraph;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.SourceMap;
import io.ddp.core.validate.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders a pipeline's pipes into stages. Stage 1 holds the pipes whose inputs are all sources; stage
 * k+1 those whose inputs are all ready after stage k (longest path from the sources). Within a stage,
 * pipes keep their declaration order, so plans are deterministic. Linear in pipes plus inputs.
 *
 * <pre>{@code
 * ExecutionPlan plan = Planner.plan(pipeline);
 * plan.stages().forEach(s -> System.out.println(s.number() + ": " + s.pipes()));
 * }</pre>
 */
public final class Planner {
  private Planner() {}

  /**
   * Plans a pipeline.
   *
   * @throws InvalidPipelineException when its structure is invalid (undeclared ids, two producers, cycles...)
   */
  public static ExecutionPlan plan(PipelineDeclare pipeline) {
    return plan(pipeline, SourceMap.EMPTY);
  }

  /** Plans a pipeline read from a file; errors carry the file's positions. */
  public static ExecutionPlan plan(PipelineDeclare pipeline, SourceMap sources) {
    List<Problem> problems = Validator.structure(pipeline);
    if (problems.stream().anyMatch(Problem::isError)) {
      throw new InvalidPipelineException(problems, sources);
    }
    DataGraph graph = DataGraph.of(pipeline);
    int n = graph.size();
    int[] stage = new int[n];
    int[] waiting = new int[n];
    for (int i = 0; i < n; i++) {
      waiting[i] = graph.upstream(i + 1).length;
    }
    // Kahn's algorithm, one frontier per stage; frontiers are kept in declaration order.
    List<Integer> frontier = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (waiting[i] == 0) {
        frontier.add(i);
      }
    }
    List<Stage> stages = new ArrayList<>();
    int number = 1;
    while (!frontier.isEmpty()) {
      List<PlannedPipe> pipes = new ArrayList<>();
      boolean[] next = new boolean[n];
      List<Integer> nextFrontier = new ArrayList<>();
      for (int p : frontier) {
        stage[p] = number;
        pipes.add(new PlannedPipe(p + 1, number, pipeline.transformers().get(p)));
        for (int reader : graph.downstream(p + 1)) {
          int d = reader - 1;
          if (--waiting[d] == 0 && !next[d]) {
            next[d] = true;
            nextFrontier.add(d);
          }
        }
      }
      nextFrontier.sort(null);
      stages.add(new Stage(number, pipes));
      frontier = nextFrontier;
      number++;
    }
    return new ExecutionPlan(pipeline, graph, stages);
  }
}
