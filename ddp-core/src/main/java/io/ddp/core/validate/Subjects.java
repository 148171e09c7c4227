package io.ddp.core.validate;

import io.ddp.core.model.PipelineDeclare;

/** How problems name the parts of a pipeline, and the JSON pointers where those parts stand. */
public final class Subjects {
  private Subjects() {}

  public static String dataset(String dataId) {
    return "dataset '" + dataId + "'";
  }

  /** {@code pipe #3 ModelPredictionTransformer -> PredictionData}, from the 0-based position. */
  public static String transformer(PipelineDeclare pipeline, int position) {
    return "pipe " + pipeline.transformers().get(position).label(position + 1);
  }

  public static String metric(String metricId) {
    return "metric '" + metricId + "'";
  }

  public static String dataPointer(int position) {
    return "/data/" + position;
  }

  public static String transformerPointer(int position) {
    return "/transformers/" + position;
  }

  public static String metricPointer(int position) {
    return "/metrics/" + position;
  }
}
