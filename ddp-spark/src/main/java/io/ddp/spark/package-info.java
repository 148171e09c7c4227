/**
 * Spark pipes: the {@link io.ddp.spark.SparkPipe} a user implements, its context, the Spark-side
 * checks of a pipeline, and the {@code spark-submit} entry point {@link io.ddp.spark.DdpMain}.
 */
package io.ddp.spark;
