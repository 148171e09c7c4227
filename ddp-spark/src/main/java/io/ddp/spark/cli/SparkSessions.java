package io.ddp.spark.cli;

import io.ddp.core.model.PipelineDeclare;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession a pipeline runs in. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A session for the pipeline: its {@code spark} conf, then {@code conf}; the master is
   * {@code master}, else what spark-submit set, else the pipeline's {@code spark.master}, else
   * {@code local[*]}. Returns the active session (with the conf applied) when one exists.
   */
  public static SparkSession create(PipelineDeclare pipeline, Map<String, String> conf, Optional<String> master) {
    SparkSession.Builder builder = SparkSession.builder().appName("ddp: " + pipeline.name());
    pipeline.spark().forEach(builder::config);
    conf.forEach(builder::config);
    if (master.isPresent()) {
      builder.master(master.get());
    } else if (System.getProperty("spark.master") == null && !pipeline.spark().containsKey("spark.master")
        && !conf.containsKey("spark.master")) {
      builder.master("local[*]");
    }
    return builder.getOrCreate();
  }
}
