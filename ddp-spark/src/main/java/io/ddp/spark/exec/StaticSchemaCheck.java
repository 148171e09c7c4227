package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.PipeParams;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.text.Messages;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import io.ddp.io.Schemas;
import io.ddp.spark.SparkPipe;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What can be checked with Spark's analyser before any job starts. Schemas flow through the DAG:
 * every pipe whose inputs all have known schemas (declared, or derived for an earlier pipe) and that
 * states its {@link SparkPipe#outputSchema} (as the {@code sql} pipe does, by analysing its query on
 * empty inputs) is asked for its output schema; it must match its output's declared schema, and a
 * sink's {@code partitionBy} columns must be in it. Metrics must be aggregates over their dataset, and
 * every key service must be configured. No data is read.
 */
public final class StaticSchemaCheck {
  private StaticSchemaCheck() {}

  public static List<Problem> check(ExecutionPlan plan, SparkSession spark, PipeTypes types) {
    Problems problems = new Problems();
    Map<String, StructType> known = new HashMap<>();
    plan.data().values().forEach(d -> Schemas.declared(d).ifPresent(schema -> known.put(d.dataId(), schema)));
    for (PlannedPipe p : plan.order()) {
      TransformerDeclare t = p.declaration();
      if (!t.inputDataId().stream().allMatch(known::containsKey)) {
        continue;
      }
      String subject = Subjects.pipe(plan.pipeline(), p.index());
      String pointer = Subjects.pipePointer(p.index());
      Map<String, StructType> inputs = new LinkedHashMap<>();
      t.inputDataId().forEach(id -> inputs.put(id, known.get(id)));
      Optional<StructType> derived;
      try {
        derived = outputSchema(types, t, inputs, spark);
      } catch (InvalidParamsException e) {
        problems.error(pointer + e.problem().pointer(), subject, e.getMessage());
        continue;
      } catch (RuntimeException e) {
        problems.error(pointer, subject, "cannot tell the schema the pipe produces: " + Messages.rootCause(e));
        continue;
      }
      if (derived.isEmpty()) {
        continue;
      }
      StructType produced = derived.get();
      DataDeclare out = plan.data(t.outputDataId());
      StructType declared = known.get(out.dataId());
      if (declared != null) {
        List<String> diff = Schemas.differences(declared, produced);
        boolean cast = DataDeclare.SCHEMA_CAST.equals(out.schemaPolicy());
        List<String> fatal = cast ? diff.stream().filter(s -> s.startsWith("missing")).toList() : diff;
        if (!fatal.isEmpty()) {
          problems.error(pointer + "/outputDataId", subject, "the pipe produces " + produced.toDDL() + ", which does not match the"
              + " declared schema of '" + out.dataId() + "': " + String.join("; ", fatal) + ". Fix the pipe's params or the \"schema\" of '"
              + out.dataId() + "'");
        }
      } else {
        known.put(out.dataId(), produced);
        List<String> columns = List.of(produced.fieldNames());
        for (String column : out.partitionBy()) {
          if (!columns.contains(column)) {
            problems.error(pointer + "/outputDataId", subject, "'" + out.dataId() + "' is partitioned by '" + column
                + "', which the pipe does not produce; it produces " + columns);
          }
        }
      }
    }
    metrics(plan, spark, known, problems);
    keyServices(plan, spark, problems);
    return problems.asList();
  }

  /**
   * The pipe's own statement of its output schema, when its class overrides
   * {@link SparkPipe#outputSchema}; empty when it does not, or when its type or params do not resolve
   * (reported by the validator).
   */
  @SuppressWarnings("unchecked")
  private static Optional<StructType> outputSchema(PipeTypes types, TransformerDeclare t, Map<String, StructType> inputs,
      SparkSession spark) {
    Class<?> cls;
    Object params;
    try {
      cls = types.resolve(t.transformerType());
      params = PipeParams.bind(t.paramsView(), PipeParams.paramsType(cls));
    } catch (DdpException | PipeParams.BindingException e) {
      return Optional.empty();
    }
    Optional<Object> pipe = PipeTypes.instanceOverriding(cls, "outputSchema");
    if (pipe.isEmpty() || !(pipe.get() instanceof SparkPipe<?>)) {
      return Optional.empty();
    }
    return ((SparkPipe<Object>) pipe.get()).outputSchema(inputs, params, spark);
  }

  /** Every key service an encrypted dataset names is configured in this session. */
  private static void keyServices(ExecutionPlan plan, SparkSession spark, Problems problems) {
    List<DataDeclare> data = plan.pipeline().data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      if (d.encryption() != null && d.encryption().keyService() != null) {
        String problem = io.ddp.io.crypto.KeyServices.problem(io.ddp.io.DeclaredIO.keyService(spark, d.encryption().keyService()));
        if (problem != null) {
          problems.error(Subjects.dataPointer(i) + "/encryption/keyService", Subjects.dataset(d.dataId()), problem);
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
      try {
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> empty = spark.createDataFrame(List.<org.apache.spark.sql.Row>of(), schema);
        org.apache.spark.sql.Column[] keys = m.groupBy().stream().map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new);
        empty.groupBy(keys).agg(org.apache.spark.sql.functions.expr(m.expression())).schema();
      } catch (Exception e) { // AnalysisException
        problems.error(Subjects.metricPointer(i) + "/expression", Subjects.metric(m.metricId()), "\"" + m.expression()
            + "\" is not an aggregate over '" + m.dataId() + "' (" + String.join(", ", schema.fieldNames()) + "): "
            + Messages.firstLine(e.getMessage()) + "; use an aggregate such as count(1), sum(col) or avg(col)");
      }
    }
  }
}
