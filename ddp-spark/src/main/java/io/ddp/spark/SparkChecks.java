package io.ddp.spark;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.PipelineCheck;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.StructType;

/**
 * Static checks that need Spark's parser but no SparkSession, run by {@code ddp validate} and before
 * every run: schemas parse as DDL, formats exist, partition and group-by columns are in the declared
 * schema, metric expressions parse, metrics sinks exist. Pipes check their own params
 * ({@link io.ddp.core.pipe.Pipe#check}), formats and stores theirs ({@link io.ddp.io.DeclaredIO#check}).
 */
public final class SparkChecks implements PipelineCheck {
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
        } catch (Exception e) { // ParseException
          problems.error(pointer + "/schema", subject, "schema \"" + d.schema() + "\" is not valid Spark DDL: "
              + Messages.firstLine(e.getMessage()) + "; write it like \"id BIGINT, text STRING\"");
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
    List<MetricDeclare> metrics = pipeline.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      MetricDeclare m = metrics.get(i);
      String subject = Subjects.metric(m.metricId());
      if (!m.expression().isBlank()) {
        try {
          CatalystSqlParser$.MODULE$.parseExpression(m.expression());
        } catch (Exception e) { // ParseException
          problems.error(Subjects.metricPointer(i) + "/expression", subject, "expression \"" + m.expression()
              + "\" does not parse: " + Messages.firstLine(e.getMessage()) + "; give a Spark SQL aggregate such as count(1)");
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
}
