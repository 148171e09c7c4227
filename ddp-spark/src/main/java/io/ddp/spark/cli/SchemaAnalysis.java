package io.ddp.spark.cli;

import io.ddp.core.plan.ExecutionPlan;
import io.ddp.spark.exec.SparkExecutor;
import io.ddp.spark.exec.StaticSchemaCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The schema checks of {@code ddp validate} and {@code ddp plan --schemas}, in an analysis-only
 * session: a local one with one core and no UI (or the session already there, under spark-submit or a
 * test), stopped afterwards when this started it. It reads no data and starts no job.
 */
final class SchemaAnalysis {
  private SchemaAnalysis() {}

  static StaticSchemaCheck.Result of(ExecutionPlan plan, Map<String, String> conf) {
    boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined()
        || org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
    Map<String, String> analysis = new LinkedHashMap<>(conf);
    analysis.putIfAbsent("spark.ui.enabled", "false");
    SparkSession spark = SparkSessions.create(plan.pipeline(), analysis, Optional.of("local[1]"));
    try {
      SparkExecutor executor;
      try {
        executor = SparkExecutor.builder(spark).build();
      } catch (RuntimeException e) { // a Guice module on the class path that cannot be set up
        return new StaticSchemaCheck.Result(java.util.List.of(io.ddp.core.validate.Problem.error("", "pipeline",
            "cannot prepare the pipes for the schema checks: " + io.ddp.core.text.Secrets.mask(io.ddp.core.text.Messages.rootCause(e))
                + "; fix the Module, or check the declaration alone with --no-spark")), Map.of());
      }
      return executor.checkSchemas(plan, false);
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }
}
