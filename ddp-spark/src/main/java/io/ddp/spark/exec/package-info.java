/**
 * Running a plan: {@link io.ddp.spark.exec.SparkExecutor} and its rooms (the scheduler {@link
 * io.ddp.spark.exec.PipelineRun}, the dataset lifecycle {@link io.ddp.spark.exec.RunDatasets},
 * {@link io.ddp.spark.exec.RunMetrics}), the result and report of a run, progress and the live
 * picture.
 */
package io.ddp.spark.exec;
