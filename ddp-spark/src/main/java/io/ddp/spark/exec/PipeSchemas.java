package io.ddp.spark.exec;

import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Suggestions;
import io.ddp.io.Schemas;
import io.ddp.spark.NoSchemaDerivation;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkThrowable;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What one pipe needs and produces, found before the run without reading data: its stated
 * {@code requiredColumns} checked against the schemas flowing in, and its output schema, stated
 * ({@code outputSchema}) or derived by applying it to empty DataFrames of its inputs' schemas. A
 * derivation that starts a Spark job is noticed (the pipe is not lazy) and reported.
 */
final class PipeSchemas implements AutoCloseable {
  private static final String JOB_GROUP = "spark.jobGroup.id";
  private static final String JOB_DESCRIPTION = "spark.job.description";
  private static final String INTERRUPT = "spark.job.interruptOnCancel";

  /**
   * What became of one pipe.
   *
   * @param schema the output schema, empty when it could not be told (the checks stop there)
   * @param errors problems that make the pipeline invalid, each with where in the pipe it is
   *     ({@code ""} for the pipe, {@code /params/query} for a param)
   * @param warnings problems that do not
   * @param derived whether the schema was derived on empty inputs (not stated by the pipe)
   */
  record Outcome(Optional<StructType> schema, List<Located> errors, List<Located> warnings, boolean derived) {
    Outcome(Optional<StructType> schema, List<Located> errors, List<Located> warnings) {
      this(schema, errors, warnings, false);
    }
  }

  /** A message and where in the pipe's declaration it belongs, relative to the pipe's pointer. */
  record Located(String pointer, String message) {}

  private final SparkSession spark;
  private final String pipelineName;
  private final Map<String, AtomicInteger> jobsByGroup = new ConcurrentHashMap<>();
  private final SparkListener counter = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String group = start.properties() == null ? null : start.properties().getProperty(JOB_GROUP);
      if (group != null) {
        AtomicInteger n = jobsByGroup.get(group);
        if (n != null) {
          n.incrementAndGet();
        }
      }
    }
  };

  PipeSchemas(SparkSession spark, String pipelineName) {
    this.spark = spark;
    this.pipelineName = pipelineName;
    spark.sparkContext().addSparkListener(counter);
  }

  /** The pipe's outcome on inputs of the given schemas (by dataId, in declared order). */
  Outcome of(PlannedPipe planned, PipeFactory.Instance instance, Map<String, StructType> inputs) {
    List<Located> errors = new ArrayList<>();
    List<Located> warnings = new ArrayList<>();
    requiredColumns(planned, instance, inputs, errors);
    if (!errors.isEmpty()) {
      return new Outcome(Optional.empty(), errors, warnings);
    }
    try {
      Optional<StructType> stated = instance.pipe().outputSchema(inputs, instance.params(), spark);
      if (stated.isPresent()) {
        return new Outcome(stated, errors, warnings);
      }
    } catch (InvalidParamsException e) {
      errors.add(new Located(e.problem().pointer(), e.getMessage()));
      return new Outcome(Optional.empty(), errors, warnings);
    } catch (Exception | LinkageError e) { // Spark's AnalysisException is checked, and a pipe may throw anything
      Optional<Throwable> analysis = analysisFailure(e);
      errors.add(new Located("", analysis.isPresent()
          ? "does not fit the schemas of its inputs (" + describe(inputs) + "): " + Messages.firstLine(analysis.get().getMessage())
          : "cannot tell the schema the pipe produces: " + Messages.rootCause(e)));
      return new Outcome(Optional.empty(), errors, warnings);
    }
    NoSchemaDerivation optOut = instance.pipe().getClass().getAnnotation(NoSchemaDerivation.class);
    if (optOut != null) {
      return new Outcome(Optional.empty(), errors, warnings);
    }
    return derive(planned, instance, inputs, errors, warnings);
  }

  private void requiredColumns(PlannedPipe planned, PipeFactory.Instance instance, Map<String, StructType> inputs,
      List<Located> errors) {
    List<String> required;
    try {
      required = instance.pipe().requiredColumns(instance.params());
      required = required == null ? List.of() : required;
    } catch (RuntimeException | LinkageError e) {
      errors.add(new Located("", "cannot tell the columns the pipe needs: " + Messages.rootCause(e)));
      return;
    }
    List<String> ids = new ArrayList<>(inputs.keySet());
    for (int i = 0; i < required.size() && i < ids.size(); i++) {
      if (required.get(i) == null || required.get(i).isBlank()) {
        continue;
      }
      StructType needed;
      try {
        needed = Schemas.parse(required.get(i));
      } catch (RuntimeException e) {
        errors.add(new Located("", "the pipe's requiredColumns for input " + (i + 1) + " are not valid: " + e.getMessage()));
        continue;
      }
      String id = ids.get(i);
      StructType there = inputs.get(id);
      List<String> names = List.of(there.fieldNames());
      for (StructField f : needed.fields()) {
        if (!names.contains(f.name())) {
          errors.add(new Located("/inputDataId", "needs column " + f.name() + " " + f.dataType().sql() + " in input '" + id
              + "', which has no such column" + Suggestions.didYouMean(f.name(), names) + "; '" + id + "' has "
              + there.toDDL()));
        } else if (!Schemas.sameType(f.dataType(), there.apply(f.name()).dataType())) {
          errors.add(new Located("/inputDataId", "needs column " + f.name() + " " + f.dataType().sql() + " in input '" + id
              + "', where it is " + there.apply(f.name()).dataType().sql() + "; cast it in the pipe before, or change the"
              + " declared schema of '" + id + "'"));
        }
      }
    }
  }

  private Outcome derive(PlannedPipe planned, PipeFactory.Instance instance, Map<String, StructType> inputs, List<Located> errors,
      List<Located> warnings) {
    Map<String, Dataset<Row>> empty = new LinkedHashMap<>();
    List<AutoCloseable> cleanups = new ArrayList<>();
    SparkPipeContext ctx = SparkPipeContext.of(spark, pipelineName, planned.index(), planned.declaration(), cleanups::add,
        PipeMetrics.NONE);
    SparkContext sc = spark.sparkContext();
    String group = "ddp-schema-" + UUID.randomUUID();
    AtomicInteger jobs = new AtomicInteger();
    jobsByGroup.put(group, jobs);
    String[] saved = {sc.getLocalProperty(JOB_GROUP), sc.getLocalProperty(JOB_DESCRIPTION), sc.getLocalProperty(INTERRUPT)};
    Optional<StructType> schema = Optional.empty();
    try {
      sc.setJobGroup(group, "DDP derives the schema of pipe " + planned.label(), false);
      inputs.forEach((id, in) -> empty.put(id, spark.createDataFrame(List.<Row>of(), in)));
      Dataset<Row> out = instance.pipe().apply(PipeInputs.of(planned.label(), empty), instance.params(), ctx);
      schema = Optional.of(out.schema());
    } catch (Exception | LinkageError e) {
      Optional<Throwable> analysis = analysisFailure(e);
      if (analysis.isPresent()) {
        errors.add(new Located("", "does not fit the schemas of its inputs (" + describe(inputs) + "): "
            + Messages.firstLine(analysis.get().getMessage())));
      } else {
        warnings.add(new Located("", "DDP could not learn the schema it produces: applied to empty inputs, it threw "
            + Messages.rootCause(e) + "; the pipes after it are checked when the run reaches them. If apply does more than"
            + " build its output, mark the class @NoSchemaDerivation, or state its outputSchema"));
      }
    } finally {
      sc.setLocalProperty(JOB_GROUP, saved[0]);
      sc.setLocalProperty(JOB_DESCRIPTION, saved[1]);
      sc.setLocalProperty(INTERRUPT, saved[2]);
      for (AutoCloseable c : cleanups) {
        try {
          c.close();
        } catch (Exception e) {
          // A cleanup of an output nobody reads; the run makes its own.
        }
      }
    }
    try {
      sc.listenerBus().waitUntilEmpty(TimeUnit.SECONDS.toMillis(10));
    } catch (java.util.concurrent.TimeoutException e) {
      // Counted as far as delivered.
    }
    jobsByGroup.remove(group);
    if (jobs.get() > 0) {
      warnings.add(new Located("", "applied to empty inputs to learn its output schema, it started " + jobs.get()
          + " Spark job(s): apply should return its output lazily (no count(), collect() or write); if it must act, mark"
          + " the class @NoSchemaDerivation or state its outputSchema"));
      // What such a pipe produces may depend on the data it looked at (a pivot, say): not to be trusted.
      schema = Optional.empty();
    }
    return new Outcome(schema, errors, warnings, true);
  }

  /**
   * The analysis error in a failure, if it is one: an {@link AnalysisException}, or any Spark error of
   * SQLSTATE class 42 (a column or field that is not there, a type that does not fit), such as
   * {@code StructType.fieldIndex} throws for a missing column.
   */
  private static Optional<Throwable> analysisFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AnalysisException
          || (t instanceof SparkThrowable st && st.getSqlState() != null && st.getSqlState().startsWith("42"))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static String describe(Map<String, StructType> inputs) {
    List<String> parts = new ArrayList<>();
    inputs.forEach((id, schema) -> parts.add(id + ": " + schema.toDDL()));
    return String.join("; ", parts);
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(counter);
  }
}
