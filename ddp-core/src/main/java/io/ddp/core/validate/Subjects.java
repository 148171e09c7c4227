package io.ddp.core.validate;

import io.ddp.core.model.PipelineDeclare;

/** How problems name the parts of a pipeline, and the JSON pointers where those parts stand. */
public final class Subjects {
  private Subjects() {}

  public static String dataset(String dataId) {
    return "dataset '" + dataId + "'";
  }

  /** {@code pipe #3 ModelPrediction -> PredictionData}: pipe number {@code number}, counted from 1. */
  public static String pipe(PipelineDeclare pipeline, int number) {
    return "pipe " + pipeline.transformer(number).label(number);
  }

  public static String metric(String metricId) {
    return "metric '" + metricId + "'";
  }

  public static String dataPointer(int position) {
    return "/data/" + position;
  }

  /** Where pipe number {@code number} (counted from 1) stands: {@code /transformers/2} for pipe #3. */
  public static String pipePointer(int number) {
    return "/transformers/" + (number - 1);
  }

  public static String metricPointer(int position) {
    return "/metrics/" + position;
  }
}
