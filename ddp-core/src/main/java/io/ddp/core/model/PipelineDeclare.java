package io.ddp.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole pipeline: datasets, pipes and metrics, as declared in one JSON file.
 *
 * <p>Read one with {@link io.ddp.core.json.PipelineReader}, check it with
 * {@link io.ddp.core.validate.Validator}, order it with {@link io.ddp.core.plan.Planner}:
 * <pre>{@code
 * PipelineReader.Result read = PipelineReader.read(Path.of("pipelines/quickstart.json"), Map.of());
 * ExecutionPlan plan = Planner.plan(read.pipeline());
 * }</pre>
 *
 * @param name the pipeline's name (the file name without {@code .json} when not declared)
 * @param variables the declared variables, after {@code --var} overrides
 * @param spark Spark configuration to apply to the session that runs the pipeline
 * @param data every dataset, in declaration order
 * @param transformers every pipe, in declaration order (index 1 is the first)
 * @param metrics every declared metric
 * @param metricsConfig how metrics are published; defaults when not declared
 */
public record PipelineDeclare(
    String name,
    Map<String, String> variables,
    Map<String, String> spark,
    List<DataDeclare> data,
    List<TransformerDeclare> transformers,
    List<MetricDeclare> metrics,
    MetricsConfig metricsConfig) {

  public PipelineDeclare {
    metricsConfig = metricsConfig == null ? MetricsConfig.defaults() : metricsConfig;
    Objects.requireNonNull(name, "Cannot declare a pipeline: name is null");
    variables = variables == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    spark = spark == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spark));
    data = data == null ? List.of() : List.copyOf(data);
    transformers = transformers == null ? List.of() : List.copyOf(transformers);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** A pipeline with the default metrics configuration. */
  public PipelineDeclare(String name, Map<String, String> variables, Map<String, String> spark, List<DataDeclare> data,
      List<TransformerDeclare> transformers, List<MetricDeclare> metrics) {
    this(name, variables, spark, data, transformers, metrics, null);
  }

  /** The metrics declared on a dataset. */
  public List<MetricDeclare> metricsOn(String dataId) {
    return metrics.stream().filter(m -> m.dataId().equals(dataId)).toList();
  }

  /** The first dataset declared with this id, if any. Linear: callers that look up often build a map. */
  public Optional<DataDeclare> dataset(String dataId) {
    return data.stream().filter(d -> d.dataId().equals(dataId)).findFirst();
  }

  /** The transformer at a 1-based index, as messages and the CLI number them. */
  public TransformerDeclare transformer(int index) {
    if (index < 1 || index > transformers.size()) {
      throw new IllegalArgumentException(
          "Cannot find pipe #" + index + ": the pipeline has " + transformers.size() + " pipes");
    }
    return transformers.get(index - 1);
  }
}
