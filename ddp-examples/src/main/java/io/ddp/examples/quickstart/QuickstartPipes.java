package io.ddp.examples.quickstart;

import io.ddp.core.pipe.PipeProvider;
import io.ddp.core.pipe.PipeRegistration;
import java.util.List;

/** Registers the quickstart's pipes under the names the paper uses. */
public final class QuickstartPipes implements PipeProvider {
  @Override
  public List<PipeRegistration> pipes() {
    return List.of(
        new PipeRegistration("PreprocessTransformer", PreprocessPipe.class, "Cleans and tokenizes review text"),
        new PipeRegistration("FeatureGenerationTransformer", FeatureGenerationPipe.class, "Length, exclamation and capital features"),
        new PipeRegistration("ModelPredictionTransformer", ModelPredictionPipe.class, "Scores sentiment with a logistic model"),
        new PipeRegistration("PostProcessTransformer", PostProcessPipe.class, "Joins predictions to reviews, flags disagreements"));
  }
}
