package io.ddp.core;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Planner;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.SourceMap;
import io.ddp.core.validate.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads, validates and plans a pipeline file in one call, collecting every problem.
 *
 * <pre>{@code
 * PipelineLoader.Loaded loaded = PipelineLoader.load(Path.of("pipelines/quickstart.json"), Map.of(), validator);
 * loaded.problems().forEach(p -> System.err.println(p.format(loaded.sources())));
 * ExecutionPlan plan = loaded.plan();   // throws InvalidPipelineException if there were errors
 * }</pre>
 */
public final class PipelineLoader {
  private PipelineLoader() {}

  /**
   * A read and validated pipeline.
   *
   * @param pipeline the declaration (null if the file is not JSON)
   * @param sources file positions for messages
   * @param problems reading and validation problems, errors and warnings
   */
  public record Loaded(PipelineDeclare pipeline, SourceMap sources, List<Problem> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
      return pipeline == null || problems.stream().anyMatch(Problem::isError);
    }

    public List<Problem> errors() {
      return problems.stream().filter(Problem::isError).collect(Collectors.toList());
    }

    public List<Problem> warnings() {
      return problems.stream().filter(p -> !p.isError()).collect(Collectors.toList());
    }

    /** The plan, or an {@link InvalidPipelineException} with every problem. */
    public ExecutionPlan plan() {
      if (hasErrors()) {
        throw new InvalidPipelineException(problems, sources);
      }
      return Planner.plan(pipeline, sources);
    }
  }

  /** Reads {@code file} with {@code --var} overrides, then validates it if it could be read whole. */
  public static Loaded load(Path file, Map<String, String> overrides, Validator validator) {
    return validate(PipelineReader.read(file, overrides), validator);
  }

  /** Validates what a reader produced. */
  public static Loaded validate(PipelineReader.Result read, Validator validator) {
    java.util.Set<Problem> problems = new java.util.LinkedHashSet<>(read.problems());
    // Semantic checks need every element: when one could not be read at all (no dataId, no
    // transformerType...), positions would shift and the findings would mislead, so they wait.
    if (read.pipeline() != null && read.complete()) {
      List<String> rejected = read.problems().stream().filter(Problem::isError).map(Problem::pointer)
          .filter(p -> !p.isEmpty()).collect(Collectors.toList());
      for (Problem p : validator.validate(read.pipeline())) {
        // A semantic finding at or under a value the reader already rejected repeats that error.
        boolean repeats = rejected.stream().anyMatch(r -> p.pointer().equals(r) || p.pointer().startsWith(r + "/"));
        if (!repeats) {
          problems.add(p);
        }
      }
    }
    return new Loaded(read.pipeline(), read.sources(), new ArrayList<>(problems));
  }
}
