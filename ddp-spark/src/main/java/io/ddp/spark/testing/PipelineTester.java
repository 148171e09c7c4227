package io.ddp.spark.testing;

import com.google.inject.Module;
import io.ddp.core.PipelineLoader;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.validate.Validator;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.exec.RunListener;
import io.ddp.spark.exec.RunOptions;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.exec.SparkExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a whole pipeline JSON in a test, with chosen sources replaced by DataFrames and every produced
 * dataset (sinks included) captured in memory instead of written.
 *
 * <pre>{@code
 * RunResult result = PipelineTester.of(spark, Path.of("pipelines/quickstart.json"))
 *     .source("InputData", reviews)
 *     .run();
 * Dataset<Row> output = result.captured().get("OutputData");
 * }</pre>
 */
public final class PipelineTester {
  private final SparkSession spark;
  private final Path file;
  private final Map<String, String> vars = new LinkedHashMap<>();
  private final Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
  private final List<Module> modules = new ArrayList<>();
  private boolean writeSinks;
  private boolean profile;
  private int parallelism = RunOptions.DEFAULT_PARALLELISM;
  private final List<RunListener> listeners = new ArrayList<>();
  private java.util.function.Function<ExecutionPlan, io.ddp.core.plan.Selection> selection;

  private PipelineTester(SparkSession spark, Path file) {
    this.spark = spark;
    this.file = file;
  }

  public static PipelineTester of(SparkSession spark, Path pipelineFile) {
    return new PipelineTester(spark, pipelineFile);
  }

  public PipelineTester var(String name, String value) {
    vars.put(name, value);
    return this;
  }

  /** Uses {@code rows} instead of reading the source {@code dataId}. */
  public PipelineTester source(String dataId, Dataset<Row> rows) {
    sources.put(dataId, rows);
    return this;
  }

  public PipelineTester module(Module module) {
    modules.add(module);
    return this;
  }

  /** Pipes run at once (default {@value RunOptions#DEFAULT_PARALLELISM}; 1 runs them in plan order). */
  public PipelineTester parallelism(int value) {
    this.parallelism = value;
    return this;
  }

  public PipelineTester listener(RunListener value) {
    listeners.add(value);
    return this;
  }

  /** Runs only part of the pipeline, like {@code --from}, {@code --to} and {@code --only}. */
  public PipelineTester select(java.util.function.Function<ExecutionPlan, io.ddp.core.plan.Selection> part) {
    this.selection = part;
    return this;
  }

  /** Samples the tasks of the run's jobs ({@link RunResult#work()}); useful with {@link #writeSinks}, where the jobs run. */
  public PipelineTester profile(boolean value) {
    this.profile = value;
    return this;
  }

  /** Writes sinks to their declared locations too (default: captured in memory only). */
  public PipelineTester writeSinks(boolean value) {
    this.writeSinks = value;
    return this;
  }

  /**
   * Validates (throwing {@link io.ddp.core.validate.InvalidPipelineException} with every problem)
   * and runs the pipeline.
   */
  public RunResult run() {
    PipeTypes types = SparkPipe.types(Thread.currentThread().getContextClassLoader());
    Validator validator = Validator.withChecksFrom(types, Thread.currentThread().getContextClassLoader());
    PipelineLoader.Loaded loaded = PipelineLoader.load(file, vars, validator);
    ExecutionPlan plan = loaded.plan();
    for (String id : sources.keySet()) {
      if (!plan.data().containsKey(id)) {
        throw new DdpException("PipelineTester.source(\"" + id + "\", ...): the pipeline " + file + " declares no dataset '" + id
            + "'; its datasets are " + plan.data().keySet());
      }
      if (plan.role(id) != ExecutionPlan.Role.SOURCE) {
        throw new DdpException("PipelineTester.source(\"" + id + "\", ...): '" + id + "' is produced by "
            + plan.producer(id).map(p -> p.label()).orElse("?") + ", not a source");
      }
    }
    SparkExecutor.Builder builder = SparkExecutor.builder(spark).pipeTypes(types);
    modules.forEach(builder::module);
    RunOptions.Builder options = RunOptions.builder().captureOutputs(!writeSinks).parallelism(parallelism).profile(profile);
    sources.forEach(options::source);
    listeners.forEach(options::listener);
    if (selection != null) {
      options.selection(selection.apply(plan));
    }
    return builder.build().run(plan, options.build());
  }
}
