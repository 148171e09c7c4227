package io.ddp.spark.exec;

import com.google.inject.Module;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import io.ddp.spark.io.FileFormatIO;
import io.ddp.spark.io.SparkDatasetIO;
import io.ddp.spark.io.Schemas;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan in one SparkSession: reads sources as declared, applies pipes in plan order passing
 * DataFrames in memory, checks each output against its declared schema, and writes sinks.
 *
 * <pre>{@code
 * SparkExecutor executor = SparkExecutor.builder(spark).build();
 * RunResult result = executor.run(plan);
 * }</pre>
 */
public final class SparkExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);

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
    private SparkDatasetIO datasetIO = new FileFormatIO();
    private final List<Module> modules = new ArrayList<>();
    private ClassLoader loader = Thread.currentThread().getContextClassLoader();

    private Builder(SparkSession spark) {
      this.spark = java.util.Objects.requireNonNull(spark, "SparkExecutor.builder(spark) called with null spark");
    }

    /** Where transformer types resolve; by default every provider on the class path. */
    public Builder pipeTypes(PipeTypes value) {
      this.types = value;
      return this;
    }

    /** How datasets are read and written; by default Spark's file formats. */
    public Builder io(SparkDatasetIO value) {
      this.datasetIO = java.util.Objects.requireNonNull(value, "Builder.io(value) called with null");
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
      PipeTypes t = types != null ? types : PipeTypes.load(loader, SparkPipe.class);
      return new SparkExecutor(spark, new PipeFactory(t, spark, modules, loader), datasetIO);
    }
  }

  /**
   * Runs every pipe of the plan.
   *
   * @throws PipeFailedException naming the pipe (index, type, output) and the root cause
   */
  public RunResult run(ExecutionPlan plan) {
    return run(plan, Map.of(), false);
  }

  /**
   * Runs with some sources given as DataFrames and, if {@code captureSinks}, sinks kept in memory
   * instead of written: the basis of {@code PipelineTester}.
   */
  public RunResult run(ExecutionPlan plan, Map<String, Dataset<Row>> givenSources, boolean captureSinks) {
    String name = plan.pipeline().name();
    int total = plan.order().size();
    LOG.info("Pipeline {}: {} pipes in {} stages", name, total, plan.stages().size());
    long started = System.nanoTime();
    Map<String, Dataset<Row>> live = new HashMap<>(givenSources);
    Map<String, Dataset<Row>> captured = new LinkedHashMap<>();
    List<RunResult.PipeOutcome> outcomes = new ArrayList<>();
    List<RunResult.SinkWrite> writes = new ArrayList<>();
    Deque<AutoCloseable> cleanups = new ArrayDeque<>();
    int done = 0;
    try {
      for (PlannedPipe p : plan.order()) {
        TransformerDeclare decl = p.declaration();
        String label = p.label();
        LOG.info("[{}/{}] start {} (stage {})", ++done, total, label, p.stage());
        long t0 = System.nanoTime();
        try {
          Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
          for (String id : decl.inputDataId()) {
            inputs.put(id, live.computeIfAbsent(id, k -> datasetIO.read(spark, plan.data(k))));
          }
          PipeFactory.Instance instance = pipes.create(label, decl.transformerType(), decl.paramsView());
          Context ctx = new Context(plan.pipeline().name(), p.index(), decl, spark, cleanups);
          Dataset<Row> out = instance.pipe().apply(PipeInputs.of(label, inputs), instance.params(), ctx);
          if (out == null) {
            throw new DdpException("the pipe returned null; return a Dataset<Row>");
          }
          DataDeclare target = plan.data(decl.outputDataId());
          out = conform(out, target);
          live.put(target.dataId(), out);
          String rows = "";
          if (plan.role(target.dataId()) == ExecutionPlan.Role.SINK) {
            if (captureSinks) {
              captured.put(target.dataId(), out);
            } else {
              RunResult.SinkWrite w = write(out, target);
              writes.add(w);
              rows = ", wrote " + (w.rows() < 0 ? "?" : w.rows()) + " rows to " + w.location();
            }
          } else if (captureSinks) {
            captured.put(target.dataId(), out);
          }
          Duration took = Duration.ofNanos(System.nanoTime() - t0);
          outcomes.add(new RunResult.PipeOutcome(p.index(), label, RunResult.Status.SUCCEEDED, took, null));
          LOG.info("[{}/{}] done  {} in {}{}", done, total, label, RunResult.seconds(took), rows);
        } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
          Duration took = Duration.ofNanos(System.nanoTime() - t0);
          String cause = PipeFailedException.rootCause(e);
          String message = e instanceof DdpException ? firstLine(e.getMessage()) : cause;
          Throwable root = e;
          while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
          }
          boolean causeShown = root == e || message.contains(cause) || (root.getMessage() != null && message.contains(firstLine(root.getMessage())));
          outcomes.add(new RunResult.PipeOutcome(p.index(), label, RunResult.Status.FAILED, took, message));
          LOG.error("[{}/{}] FAILED {} after {}: {}", done, total, label, RunResult.seconds(took), message);
          plan.order().stream().filter(q -> outcomes.stream().noneMatch(o -> o.index() == q.index()))
              .forEach(q -> LOG.warn("skipped {}", q.label()));
          throw new PipeFailedException(p.index(), "Pipe " + label + " failed: " + message
              + (causeShown ? "" : " (root cause: " + cause + ")"), e);
        }
      }
    } finally {
      closeAll(cleanups);
    }
    RunResult result = new RunResult(name, outcomes, writes, captured, Duration.ofNanos(System.nanoTime() - started));
    LOG.info("{}", result.summary());
    return result;
  }

  /** Checks the output against the declared schema and orders its columns as declared. */
  private static Dataset<Row> conform(Dataset<Row> out, DataDeclare target) {
    if (target.schema() == null) {
      return out;
    }
    StructType declared = Schemas.parse(target.schema());
    List<String> diff = Schemas.differences(declared, out.schema());
    if (!diff.isEmpty()) {
      throw new DdpException("output does not match the declared schema of dataset '" + target.dataId() + "': "
          + String.join("; ", diff) + ". Fix the pipe or the \"schema\" of '" + target.dataId() + "'");
    }
    Column[] columns = java.util.Arrays.stream(declared.fieldNames()).map(functions::col).toArray(Column[]::new);
    return out.select(columns);
  }

  private RunResult.SinkWrite write(Dataset<Row> out, DataDeclare target) {
    long t0 = System.nanoTime();
    boolean observe = target.mode() != WriteMode.IGNORE;
    Observation observation = new Observation("ddp_rows_" + target.dataId() + "_" + System.nanoTime());
    Dataset<Row> counted = observe ? out.observe(observation, functions.count(functions.lit(1)).as("rows")) : out;
    try {
      datasetIO.write(counted, target);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
      throw new DdpException("cannot write dataset '" + target.dataId() + "' to " + target.location() + ": "
          + firstLine(e.getMessage()), e);
    }
    long rows = observe ? rows(observation) : -1;
    return new RunResult.SinkWrite(target.dataId(), target.location(), rows, Duration.ofNanos(System.nanoTime() - t0));
  }

  private static long rows(Observation observation) {
    try {
      Row row = scala.concurrent.Await.result(observation.future(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
      return row.getLong(0);
    } catch (Exception e) {
      // Nothing ran (e.g. the source was empty and Spark skipped the job): the count is unknown, not zero.
      return -1;
    }
  }

  private static void closeAll(Deque<AutoCloseable> cleanups) {
    while (!cleanups.isEmpty()) {
      AutoCloseable c = cleanups.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("cleanup {} failed: {}", c, e.toString());
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static final class Context implements SparkPipeContext {
    private final String pipeline;
    private final int index;
    private final TransformerDeclare declaration;
    private final SparkSession spark;
    private final Deque<AutoCloseable> cleanups;

    Context(String pipeline, int index, TransformerDeclare declaration, SparkSession spark, Deque<AutoCloseable> cleanups) {
      this.pipeline = pipeline;
      this.index = index;
      this.declaration = declaration;
      this.spark = spark;
      this.cleanups = cleanups;
    }

    @Override
    public String pipelineName() {
      return pipeline;
    }

    @Override
    public int index() {
      return index;
    }

    @Override
    public TransformerDeclare declaration() {
      return declaration;
    }

    @Override
    public void onCleanup(AutoCloseable resource) {
      cleanups.push(java.util.Objects.requireNonNull(resource, "onCleanup(resource) called with null"));
    }

    @Override
    public SparkSession spark() {
      return spark;
    }
  }
}
