package io.ddp.core.plan;

import io.ddp.core.model.TransformerDeclare;

/**
 * A pipe in a plan.
 *
 * @param index 1-based position in {@code transformers}
 * @param stage 1-based stage: every input is a source or produced in an earlier stage
 * @param declaration what the pipeline declares for it
 */
public record PlannedPipe(int index, int stage, TransformerDeclare declaration) {
  /** {@code #3 ModelPredictionTransformer -> PredictionData}. */
  public String label() {
    return declaration.label(index);
  }

  /** {@code #1 PreprocessTransformer [InputData] -> IntermediateData}, as {@code ddp plan} prints it. */
  public String describe() {
    String type = declaration.name() == null ? declaration.transformerType()
        : "'" + declaration.name() + "' " + declaration.transformerType();
    return "#" + index + " " + type + " " + declaration.inputDataId() + " -> " + declaration.outputDataId();
  }
}
