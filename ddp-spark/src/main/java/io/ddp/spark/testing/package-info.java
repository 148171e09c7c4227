/**
 * Testing a pipe or a pipeline on a local SparkSession the way the executor runs it: {@link
 * io.ddp.spark.testing.PipeTester}, {@link io.ddp.spark.testing.PipelineTester}.
 */
package io.ddp.spark.testing;
