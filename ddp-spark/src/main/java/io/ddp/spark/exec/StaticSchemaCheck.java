package io.ddp.spark.exec;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.text.Messages;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import io.ddp.io.Schemas;
import io.ddp.io.SparkDatasetIO;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What can be checked with Spark's analyser before any job starts. Schemas flow through the DAG in
 * topological order, from the sources' declared schemas: each pipe whose inputs all have known
 * schemas has its {@code requiredColumns} checked, and its output schema is stated by the pipe
 * ({@code outputSchema}, as the {@code sql} and {@code OnnxModel} pipes do) or derived by applying it
 * to empty inputs ({@link PipeSchemas}). A known output must match its declared schema, a sink's
 * {@code partitionBy} columns must be in it, and metrics must be aggregates over it; every key
 * service must be configured. No data is read; every problem is reported together.
 */
public final class StaticSchemaCheck {
  /** Said where a derived schema is found wrong: derivation cannot see columns that depend on the data. */
  private static final String DERIVED_HINT = " (DDP derived this schema by applying the pipe to empty inputs; if its columns"
      + " depend on its data, as a pivot without values does, state its outputSchema or mark it @NoSchemaDerivation)";

  private StaticSchemaCheck() {}

  /**
   * What the check found.
   *
   * @param problems errors and warnings, in plan order
   * @param schemas the schema of every dataset known before the run (declared, stated or derived)
   */
  public record Result(List<Problem> problems, Map<String, StructType> schemas) {
    public Result {
      problems = List.copyOf(problems);
      schemas = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schemas));
    }

    public boolean hasErrors() {
      return problems.stream().anyMatch(Problem::isError);
    }
  }

  /** The problems {@link #analyse} finds. */
  public static List<Problem> check(ExecutionPlan plan, SparkSession spark, PipeFactory pipes) {
    return analyse(plan, spark, pipes).problems();
  }

  /** As {@link #analyse(ExecutionPlan, SparkSession, PipeFactory, SparkDatasetIO, boolean)} for a run, with declared schemas only. */
  public static Result analyse(ExecutionPlan plan, SparkSession spark, PipeFactory pipes) {
    return analyse(plan, spark, pipes, null, true);
  }

  /**
   * Every problem found before the run.
   *
   *
   * @param io where sources' stored schemas come from (null: declared schemas only)
   * @param forRun whether {@code spark} is the session the pipeline runs in; when it is not ({@code ddp
   *     validate} uses an analysis session), a key service not configured in it is a warning, since the
   *     run's session may configure it
   */
  public static Result analyse(ExecutionPlan plan, SparkSession spark, PipeFactory pipes, SparkDatasetIO io, boolean forRun) {
    Problems problems = new Problems();
    Map<String, StructType> known = new LinkedHashMap<>();
    plan.pipeline().data().forEach(d -> Schemas.declared(d).ifPresent(schema -> known.put(d.dataId(), schema)));
    Map<String, StructType> declared = new HashMap<>(known);
    if (io != null) {
      // A source without a declared schema: what its files say (a Parquet footer), when they say it.
      for (DataDeclare d : plan.pipeline().data()) {
        if (!known.containsKey(d.dataId()) && plan.producer(d.dataId()).isEmpty() && d.hasLocation()) {
          io.storedSchema(spark, d).ifPresent(schema -> known.put(d.dataId(), schema));
        }
      }
    }
    try (PipeSchemas schemas = new PipeSchemas(spark, plan.pipeline().name())) {
      for (PlannedPipe p : plan.order()) {
        TransformerDeclare t = p.declaration();
        if (!t.inputDataId().stream().allMatch(known::containsKey)) {
          continue;
        }
        PipeFactory.Instance instance;
        try {
          instance = pipes.create(p.label(), t.transformerType(), t.paramsView());
        } catch (RuntimeException | LinkageError e) {
          continue; // the validator reports types and params; a pipe Guice cannot make fails when the run makes it
        }
        String subject = Subjects.pipe(plan.pipeline(), p.index());
        String pointer = Subjects.pipePointer(p.index());
        Map<String, StructType> inputs = new LinkedHashMap<>();
        t.inputDataId().forEach(id -> inputs.put(id, known.get(id)));
        PipeSchemas.Outcome outcome = schemas.of(p, instance, inputs);
        outcome.errors().forEach(e -> problems.error(pointer + e.pointer(), subject, e.message()));
        outcome.warnings().forEach(w -> problems.warning(pointer + w.pointer(), subject, w.message()));
        if (outcome.schema().isEmpty()) {
          continue;
        }
        StructType produced = outcome.schema().get();
        DataDeclare out = plan.data(t.outputDataId());
        StructType expected = declared.get(out.dataId());
        if (expected != null) {
          List<String> diff = Schemas.differences(expected, produced);
          boolean cast = DataDeclare.SCHEMA_CAST.equals(out.schemaPolicy());
          List<String> fatal = cast ? diff.stream().filter(s -> s.startsWith("missing")).toList() : diff;
          if (!fatal.isEmpty()) {
            problems.error(pointer + "/outputDataId", subject, "the pipe produces " + produced.toDDL() + ", which does not match the"
                + " declared schema of '" + out.dataId() + "': " + String.join("; ", fatal) + ". Fix the pipe's params or the \"schema\" of '"
                + out.dataId() + "'" + (outcome.derived() ? DERIVED_HINT : ""));
          }
          // The run casts to the declared schema (or fails): the pipes after it see the declared one.
        } else {
          known.put(out.dataId(), produced);
          List<String> columns = List.of(produced.fieldNames());
          for (String column : out.partitionBy()) {
            if (!columns.contains(column)) {
              problems.error(pointer + "/outputDataId", subject, "'" + out.dataId() + "' is partitioned by '" + column
                  + "', which the pipe does not produce; it produces " + columns + (outcome.derived() ? DERIVED_HINT : ""));
            }
          }
        }
      }
    }
    metrics(plan, spark, known, problems);
    ExpectationSchemaCheck.check(plan, spark, known, problems);
    keyServices(plan, spark, forRun, problems);
    return new Result(problems.asList(), known);
  }

  /** Every key service an encrypted dataset names is configured in this session. */
  private static void keyServices(ExecutionPlan plan, SparkSession spark, boolean forRun, Problems problems) {
    List<DataDeclare> data = plan.pipeline().data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      if (d.encryption() != null && d.encryption().keyService() != null) {
        String problem = io.ddp.io.crypto.KeyServices.problem(io.ddp.io.DeclaredIO.keyService(spark, d.encryption().keyService()));
        if (problem != null) {
          if (forRun) {
            problems.error(Subjects.dataPointer(i) + "/encryption/keyService", Subjects.dataset(d.dataId()), problem);
          } else {
            problems.warning(Subjects.dataPointer(i) + "/encryption/keyService", Subjects.dataset(d.dataId()), problem
                + " (unless the run's session configures it, with --conf or spark-defaults)");
          }
        }
      }
    }
  }

  /** Every metric on a dataset of known schema must be an aggregate over it (and its groupBy columns exist). */
  private static void metrics(ExecutionPlan plan, SparkSession spark, Map<String, StructType> known, Problems problems) {
    List<io.ddp.core.model.MetricDeclare> metrics = plan.pipeline().metrics();
    for (int i = 0; i < metrics.size(); i++) {
      io.ddp.core.model.MetricDeclare m = metrics.get(i);
      StructType schema = known.get(m.dataId());
      if (schema == null || m.expression().isBlank()) {
        continue;
      }
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> empty = spark.createDataFrame(List.<org.apache.spark.sql.Row>of(), schema);
      try {
        org.apache.spark.sql.Column[] keys = m.groupBy().stream().map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new);
        empty.groupBy(keys).agg(org.apache.spark.sql.functions.expr(m.expression())).schema();
      } catch (Exception e) { // AnalysisException
        problems.error(Subjects.metricPointer(i) + "/expression", Subjects.metric(m.metricId()), "\"" + m.expression()
            + "\" is not an aggregate over '" + m.dataId() + "' (" + String.join(", ", schema.fieldNames()) + "): "
            + Messages.firstLine(e.getMessage()) + "; use an aggregate such as count(1), sum(col) or avg(col)");
        continue;
      }
      if (!m.aggregatedSeparately()) { // observed on the action that computes the dataset: Spark's rules for observed metrics
        try {
          empty.observe("ddp_check", org.apache.spark.sql.functions.expr(m.expression())).schema();
        } catch (Exception e) { // AnalysisException, e.g. a window function
          problems.error(Subjects.metricPointer(i) + "/expression", Subjects.metric(m.metricId()), "\"" + m.expression()
              + "\" cannot be observed while '" + m.dataId() + "' is computed: " + Messages.firstLine(e.getMessage())
              + "; use a plain aggregate (no window OVER clause)");
        }
      }
    }
  }
}
