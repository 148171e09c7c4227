package io.ddp.spark;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.PipelineCheck;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import io.ddp.io.SparkErrors;
import io.ddp.spark.pipes.SqlPipe;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;

/**
 * Static checks that need Spark's parser but no SparkSession, run by {@code ddp validate} and before
 * every run: schemas parse as DDL, formats exist, partition and group-by columns are in the declared
 * schema, metric expressions and {@code sql} queries parse.
 */
public final class SparkChecks implements PipelineCheck {
  /** Spark SQL's own file formats; others (avro, jdbc, delta...) count when their data source is on the class path. */
  private static final Set<String> BUILTIN_FORMATS = Set.of("parquet", "csv", "json", "orc", "text");

  @Override
  public void check(PipelineDeclare pipeline, Problems problems) {
    io.ddp.io.DeclaredIO.load(Thread.currentThread().getContextClassLoader()).check(pipeline, problems);
    Map<String, StructType> schemas = new HashMap<>();
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      String pointer = Subjects.dataPointer(i);
      String subject = Subjects.dataset(d.dataId());
      if (d.schema() != null) {
        try {
          StructType schema = StructType.fromDDL(d.schema());
          schemas.put(d.dataId(), schema);
        } catch (Exception e) { // Spark's ParseException is checked in Java's eyes
          problems.error(pointer + "/schema", subject, "schema \"" + d.schema() + "\" is not valid Spark DDL: "
              + firstLine(e.getMessage()) + "; write it like \"id BIGINT, text STRING\"");
        }
      }
      if (!DataDeclare.PERSIST_AUTO.equals(d.persist()) && !DataDeclare.PERSIST_NONE.equals(d.persist())) {
        try {
          org.apache.spark.storage.StorageLevel.fromString(d.persist().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
          List<String> levels = List.of("auto", "none", "MEMORY_ONLY", "MEMORY_ONLY_2", "MEMORY_ONLY_SER", "MEMORY_AND_DISK",
              "MEMORY_AND_DISK_2", "MEMORY_AND_DISK_SER", "DISK_ONLY", "DISK_ONLY_2", "OFF_HEAP");
          problems.error(pointer + "/persist", subject, "invalid persist \"" + d.persist() + "\""
              + Suggestions.didYouMean(d.persist().toUpperCase(Locale.ROOT), levels) + "; use auto, none or a Spark storage level: "
              + String.join(", ", levels.subList(2, levels.size())));
        }
      }
      StructType schema = schemas.get(d.dataId());
      if (schema != null) {
        for (String column : d.partitionBy()) {
          if (!List.of(schema.fieldNames()).contains(column)) {
            problems.error(pointer + "/partitionBy", subject, "partition column '" + column + "' is not in the declared schema"
                + Suggestions.didYouMean(column, List.of(schema.fieldNames())) + "; columns: " + List.of(schema.fieldNames()));
          }
        }
      }
    }
    List<TransformerDeclare> pipes = pipeline.transformers();
    for (int i = 0; i < pipes.size(); i++) {
      TransformerDeclare t = pipes.get(i);
      boolean sql = t.transformerType().equals("sql") || t.transformerType().equals(SqlPipe.class.getName());
      if (sql && t.paramsView().path("query").isTextual()) {
        String query = t.paramsView().get("query").asText();
        String problem = SqlPipe.notAQuery(query);
        if (problem != null) {
          problems.error(Subjects.transformerPointer(i) + "/params/query", Subjects.transformer(pipeline, i), problem);
        }
      }
    }
    java.util.Set<String> sinkTypes = io.ddp.metrics.MetricsPublisher.factories(Thread.currentThread().getContextClassLoader()).keySet();
    List<Map<String, String>> sinks = pipeline.metricsConfig().sinks();
    for (int i = 0; i < sinks.size(); i++) {
      String type = sinks.get(i).get("type");
      if (!sinkTypes.contains(type)) {
        problems.error("/metricsConfig/sinks/" + i + "/type", "metricsConfig", "unknown metrics sink type '" + type + "'"
            + Suggestions.didYouMean(type, sinkTypes) + "; use one of " + new TreeSet<>(sinkTypes));
      } else if ("jsonl".equals(type) && !sinks.get(i).containsKey("path")) {
        problems.error("/metricsConfig/sinks/" + i, "metricsConfig", "a jsonl metrics sink needs \"path\": the file to append to");
      }
    }
    onnxModels(pipeline, problems);
    List<MetricDeclare> metrics = pipeline.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      MetricDeclare m = metrics.get(i);
      String subject = Subjects.metric(m.metricId());
      if (!m.expression().isBlank()) {
        try {
          CatalystSqlParser$.MODULE$.parseExpression(m.expression());
        } catch (Exception e) { // Spark's ParseException is checked in Java's eyes
          problems.error(Subjects.metricPointer(i) + "/expression", subject, "expression \"" + m.expression()
              + "\" does not parse: " + firstLine(e.getMessage()) + "; give a Spark SQL aggregate such as count(1)");
        }
      }
      StructType schema = schemas.get(m.dataId());
      if (schema != null) {
        for (String column : m.groupBy()) {
          if (!List.of(schema.fieldNames()).contains(column)) {
            problems.error(Subjects.metricPointer(i) + "/groupBy", subject, "groupBy column '" + column + "' is not in the schema of '"
                + m.dataId() + "'" + Suggestions.didYouMean(column, List.of(schema.fieldNames())));
          }
        }
      }
    }
  }


  /**
   * Loads each OnnxModel pipe's model (local and classpath models; remote ones are only fetched at run
   * time) and compares its real input and output names with the declared ones.
   */
  private static void onnxModels(PipelineDeclare pipeline, Problems problems) {
    List<TransformerDeclare> pipes = pipeline.transformers();
    for (int i = 0; i < pipes.size(); i++) {
      TransformerDeclare t = pipes.get(i);
      if (!t.transformerType().equals("OnnxModel") && !t.transformerType().equals(io.ddp.spark.pipes.OnnxModelPipe.class.getName())) {
        continue;
      }
      io.ddp.ml.onnx.OnnxSpec spec;
      try {
        spec = (io.ddp.ml.onnx.OnnxSpec) io.ddp.core.pipe.PipeParams.bind(t.paramsView(), io.ddp.ml.onnx.OnnxSpec.class);
      } catch (RuntimeException e) {
        continue; // reported by the params check
      }
      if (io.ddp.ml.onnx.ModelFiles.remote(spec.model()) || (spec.tokenizer() != null && io.ddp.ml.onnx.ModelFiles.remote(spec.tokenizer()))) {
        continue;
      }
      String subject = Subjects.transformer(pipeline, i);
      try (io.ddp.ml.onnx.OnnxModel model = io.ddp.ml.onnx.OnnxModel.load(spec)) {
        for (String m : model.mismatches()) {
          problems.error(Subjects.transformerPointer(i) + "/params", subject, m + "; map every model input and name outputs it has");
        }
      } catch (Exception e) {
        problems.error(Subjects.transformerPointer(i) + "/params/model", subject, "cannot load the model: " + firstLine(e.getMessage()));
      }
    }
  }

  private static String firstLine(String message) {
    return SparkErrors.firstLine(message);
  }
}
