package io.ddp.spark.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Module;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import io.ddp.spark.exec.PipeFactory;
import io.ddp.spark.exec.PipeOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one pipe on in-memory inputs, the way the executor would, and returns its output. The output
 * passes the executor's checks: a pipe that returns null fails, and with {@link #outputSchema} the
 * output is held to that schema exactly as a declared {@code schema} is in a run (missing, extra or
 * mistyped columns fail naming the pipe; columns come out in the declared order).
 *
 * <pre>{@code
 * Dataset<Row> out = PipeTester.of(spark).run(new Upper(), new Upper.Params("name"), people);
 * Dataset<Row> checked = PipeTester.of(spark).outputSchema("id BIGINT, name STRING").run(new Upper(), new Upper.Params("name"), people);
 * Dataset<Row> joined = PipeTester.of(spark).run(new Join(), new NoParams(), Map.of("People", people, "Cities", cities));
 * Dataset<Row> viaJson = PipeTester.of(spark).run("sql", "{\"query\": \"SELECT * FROM People\"}", Map.of("People", people));
 * }</pre>
 * Cleanups a pipe registers run when {@link #close()} is called (or at the end of try-with-resources).
 */
public final class PipeTester implements AutoCloseable {
  /** The dataId of the input of the one-input {@code run} methods. */
  public static final String INPUT = "Input";
  private static final String OUTPUT = "Output";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final List<Module> modules = new ArrayList<>();
  private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
  private String outputSchema;

  private PipeTester(SparkSession spark) {
    this.spark = spark;
  }

  public static PipeTester of(SparkSession spark) {
    return new PipeTester(spark);
  }

  /** A Guice module for pipes created by type with {@link #run(String, String, Map)}. */
  public PipeTester module(Module module) {
    modules.add(module);
    return this;
  }

  /**
   * Holds the output to this schema, as the executor does for an output dataset that declares it,
   * e.g. {@code "id BIGINT, name STRING NOT NULL"}.
   */
  public PipeTester outputSchema(String ddl) {
    this.outputSchema = ddl;
    return this;
  }

  /** Applies a one-input pipe to {@code input} (its dataId is {@value #INPUT}). */
  public <P> Dataset<Row> run(SparkPipe<P> pipe, P params, Dataset<Row> input) {
    return run(pipe, params, Map.of(INPUT, input));
  }

  /** Applies a pipe instance with already-typed params; inputs in the map's iteration order. */
  public <P> Dataset<Row> run(SparkPipe<P> pipe, P params, Map<String, Dataset<Row>> inputs) {
    TransformerDeclare decl = new TransformerDeclare(null, List.copyOf(inputs.keySet()), pipe.getClass().getName(), OUTPUT, null);
    return checked(pipe.apply(PipeInputs.of(decl.label(1), new LinkedHashMap<>(inputs)), params, context(decl)), decl);
  }

  /** Creates a one-input pipe by type and JSON params, as {@link #run(String, String, Map)} does, and applies it. */
  public Dataset<Row> run(String transformerType, String paramsJson, Dataset<Row> input) {
    return run(transformerType, paramsJson, Map.of(INPUT, input));
  }

  /**
   * Resolves a pipe type (a transformerType: alias or class name), binds params from JSON exactly as a pipeline
   * would (same errors), creates the pipe through Guice, and applies it.
   */
  public Dataset<Row> run(String transformerType, String paramsJson, Map<String, Dataset<Row>> inputs) {
    ObjectNode params;
    try {
      params = paramsJson == null || paramsJson.isBlank() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(paramsJson);
    } catch (Exception e) {
      throw new IllegalArgumentException("PipeTester.run called with params that are not a JSON object: " + paramsJson, e);
    }
    TransformerDeclare decl = new TransformerDeclare(null, List.copyOf(inputs.keySet()), transformerType, OUTPUT, params);
    PipeTypes types = SparkPipe.types(Thread.currentThread().getContextClassLoader());
    PipeFactory factory = new PipeFactory(types, spark, modules, Thread.currentThread().getContextClassLoader());
    PipeFactory.Instance instance = factory.create(decl.label(1), transformerType, params);
    return checked(instance.pipe().apply(PipeInputs.of(decl.label(1), new LinkedHashMap<>(inputs)), instance.params(), context(decl)), decl);
  }

  private Dataset<Row> checked(Dataset<Row> out, TransformerDeclare decl) {
    try {
      return PipeOutput.check(out, DataDeclare.builder(OUTPUT).schema(outputSchema).build(), decl.label(1));
    } catch (DdpException e) {
      // The executor names the failed pipe in its failure report; here the message names it.
      throw new DdpException(decl.label(1) + ": " + e.getMessage(), e);
    }
  }

  private SparkPipeContext context(TransformerDeclare decl) {
    return SparkPipeContext.of(spark, "test", 1, decl, cleanups::push, io.ddp.core.pipe.PipeMetrics.NONE);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!cleanups.isEmpty()) {
      try {
        cleanups.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
