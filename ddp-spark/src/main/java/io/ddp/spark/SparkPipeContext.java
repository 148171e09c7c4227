package io.ddp.spark;

import io.ddp.core.pipe.PipeContext;
import org.apache.spark.sql.SparkSession;

/** What a Spark pipe gets besides its inputs and params: the session that runs the pipeline. */
public interface SparkPipeContext extends PipeContext {
  SparkSession spark();
}
