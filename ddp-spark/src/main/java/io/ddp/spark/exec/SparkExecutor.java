package io.ddp.spark.exec;

import com.google.inject.Module;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.RunPlan;
import io.ddp.core.plan.Selection;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.SourceMap;
import io.ddp.io.DeclaredIO;
import io.ddp.io.SparkDatasetIO;
import io.ddp.spark.SparkPipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a plan in one SparkSession. Reads sources as declared, applies each pipe as soon as its
 * inputs are ready (several at once, each in its own FAIR scheduler pool and job group), checks
 * outputs against their declared schemas, persists datasets that several consumers read so they are
 * computed once, releases them after their last reader, and writes sinks atomically.
 *
 * <p>The work is split into rooms: {@link PipelineRun} schedules the steps and handles failures and
 * interrupts, {@link RunDatasets} owns each dataset's lifecycle (read, persist, write, release),
 * {@link RunMetrics} measures, and {@link RunEvents} tells the listeners.
 *
 * <pre>{@code
 * SparkExecutor executor = SparkExecutor.builder(spark).build();
 * RunResult result = executor.run(plan);
 * }</pre>
 */
public final class SparkExecutor {
  /**
   * The logger of what a run is doing besides its results: the plan, each pipe's start, progress
   * samples. The command line shows it with {@code -v} only; each pipe's end, the declared metrics
   * and errors are logged elsewhere and always shown.
   */
  public static final String PROGRESS_LOGGER = "io.ddp.progress";


  private final SparkSession spark;
  private final PipeFactory pipes;
  private final SparkDatasetIO datasetIO;

  private SparkExecutor(SparkSession spark, PipeFactory pipes, SparkDatasetIO datasetIO) {
    this.spark = spark;
    this.pipes = pipes;
    this.datasetIO = datasetIO;
  }

  public static Builder builder(SparkSession spark) {
    return new Builder(spark);
  }

  /** Configures an executor; every setting has a default. */
  public static final class Builder {
    private final SparkSession spark;
    private PipeTypes types;
    private SparkDatasetIO datasetIO;
    private final List<Module> modules = new ArrayList<>();
    private ClassLoader loader = Thread.currentThread().getContextClassLoader();

    private Builder(SparkSession spark) {
      this.spark = Objects.requireNonNull(spark, "SparkExecutor.builder(spark) called with null spark");
    }

    /** Where pipe types (transformerType) resolve; by default every provider on the class path. */
    public Builder pipeTypes(PipeTypes value) {
      this.types = value;
      return this;
    }

    /** How datasets are read and written; by default Spark's file formats. */
    public Builder io(SparkDatasetIO value) {
      this.datasetIO = Objects.requireNonNull(value, "Builder.io(value) called with null");
      return this;
    }

    /** Extra Guice modules for pipe injection, on top of those found with ServiceLoader. */
    public Builder module(Module module) {
      modules.add(module);
      return this;
    }

    public Builder classLoader(ClassLoader value) {
      this.loader = value;
      return this;
    }

    public SparkExecutor build() {
      PipeTypes t = types != null ? types : SparkPipe.types(loader);
      SparkDatasetIO io = datasetIO != null ? datasetIO : DeclaredIO.load(loader);
      return new SparkExecutor(spark, new PipeFactory(t, spark, modules, loader), io);
    }
  }

  /** Runs every pipe of the plan with the default options. */
  public RunResult run(ExecutionPlan plan) {
    return run(plan, RunOptions.defaults());
  }

  /**
   * Runs the selected part of the plan.
   *
   * @throws PipeFailedException naming the first pipe that failed (index, type, output) and the root
   *     cause, after running pipes were cancelled and everything the run kept was released
   */
  public RunResult run(ExecutionPlan plan, RunOptions options) {
    Selection selection = options.selection() != null ? options.selection() : Selection.all(plan);
    if (!options.schemasChecked()) {
      StaticSchemaCheck.Result checked = checkSchemas(plan);
      if (checked.hasErrors()) {
        throw new InvalidPipelineException(checked.problems(), SourceMap.EMPTY);
      }
    }
    RunPlan runPlan = RunPlan.of(selection, !options.captureOutputs());
    datasetIO.prepare(spark, plan.data().values());
    return new PipelineRun(spark, pipes, datasetIO, plan, runPlan, options).execute();
  }

  /**
   * The schema checks of the whole plan, before any job ({@link StaticSchemaCheck}): what
   * {@link #run} does first, unless told the caller did.
   */
  public StaticSchemaCheck.Result checkSchemas(ExecutionPlan plan) {
    return checkSchemas(plan, true);
  }

  /**
   * The schema checks, in this executor's session; {@code forRun} false when the session is only for
   * analysis (key services are then only warned about).
   */
  public StaticSchemaCheck.Result checkSchemas(ExecutionPlan plan, boolean forRun) {
    return StaticSchemaCheck.analyse(plan, spark, pipes, datasetIO, forRun);
  }

  /** The tag of the commit marker a sink's write leaves in its location: the run and the dataset. */
  public static String commitTag(String runId, String dataId) {
    return runId + "." + dataId;
  }
}
