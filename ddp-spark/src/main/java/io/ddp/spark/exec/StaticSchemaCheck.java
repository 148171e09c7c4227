package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import io.ddp.io.Schemas;
import io.ddp.spark.pipes.SqlPipe;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What can be checked with Spark's analyser before any job starts: every {@code sql} pipe whose
 * inputs all have known schemas (declared, or produced by an earlier {@code sql} pipe) is analysed on
 * empty inputs; its result must match its output's declared schema, and a sink's {@code partitionBy}
 * columns must be in it. No data is read.
 */
public final class StaticSchemaCheck {
  private StaticSchemaCheck() {}

  public static List<Problem> check(ExecutionPlan plan, SparkSession spark) {
    Problems problems = new Problems();
    Map<String, StructType> known = new HashMap<>();
    plan.data().values().forEach(d -> {
      if (d.schema() != null) {
        try {
          known.put(d.dataId(), Schemas.parse(d.schema()));
        } catch (DdpException e) {
          // Reported by the static checks already.
        }
      }
    });
    for (PlannedPipe p : plan.order()) {
      TransformerDeclare t = p.declaration();
      boolean sql = t.transformerType().equals("sql") || t.transformerType().equals(SqlPipe.class.getName());
      if (!sql || !t.paramsView().path("query").isTextual() || !t.inputDataId().stream().allMatch(known::containsKey)) {
        continue;
      }
      String subject = Subjects.transformer(plan.pipeline(), p.index() - 1);
      String pointer = Subjects.transformerPointer(p.index() - 1);
      Map<String, StructType> inputs = new LinkedHashMap<>();
      t.inputDataId().forEach(id -> inputs.put(id, known.get(id)));
      StructType produced;
      try {
        produced = SqlPipe.analyse(spark, inputs, t.paramsView().get("query").asText());
      } catch (DdpException e) {
        problems.error(pointer + "/params/query", subject, "the query does not fit the declared schemas of its inputs: "
            + e.getMessage().replaceFirst("^query failed: ", ""));
        continue;
      }
      DataDeclare out = plan.data(t.outputDataId());
      StructType declared = known.get(out.dataId());
      if (declared != null) {
        List<String> diff = Schemas.differences(declared, produced);
        boolean cast = DataDeclare.SCHEMA_CAST.equals(out.schemaPolicy());
        List<String> fatal = cast ? diff.stream().filter(s -> s.startsWith("missing")).toList() : diff;
        if (!fatal.isEmpty()) {
          problems.error(pointer + "/params/query", subject, "the query produces " + produced.toDDL() + ", which does not match the"
              + " declared schema of '" + out.dataId() + "': " + String.join("; ", fatal) + ". Fix the query or the \"schema\" of '"
              + out.dataId() + "'");
        }
      } else {
        known.put(out.dataId(), produced);
        List<String> columns = List.of(produced.fieldNames());
        for (String column : out.partitionBy()) {
          if (!columns.contains(column)) {
            problems.error(pointer + "/params/query", subject, "'" + out.dataId() + "' is partitioned by '" + column
                + "', which the query does not produce; it produces " + columns);
          }
        }
      }
    }
    metrics(plan, spark, known, problems);
    keyServices(plan, spark, problems);
    return problems.asList();
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
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
        problems.error(Subjects.metricPointer(i) + "/expression", Subjects.metric(m.metricId()), "\"" + m.expression()
            + "\" is not an aggregate over '" + m.dataId() + "' (" + String.join(", ", schema.fieldNames()) + "): "
            + io.ddp.io.SparkErrors.firstLine(e.getMessage()) + "; use an aggregate such as count(1), sum(col) or avg(col)");
      }
    }
  }
}
