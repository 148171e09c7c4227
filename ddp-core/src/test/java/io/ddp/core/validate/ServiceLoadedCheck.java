package io.ddp.core.validate;

import io.ddp.core.model.PipelineDeclare;

/**
 * Listed in {@code META-INF/services/io.ddp.core.validate.PipelineCheck} of the test resources, to show that
 * {@link Validator#withChecksFrom} finds checks. Reports only on a pipeline with the {@link #TRIGGER} name.
 */
public final class ServiceLoadedCheck implements PipelineCheck {
  public static final String TRIGGER = "service-loaded-check-demo";

  @Override
  public void check(PipelineDeclare pipeline, Problems problems) {
    if (TRIGGER.equals(pipeline.name())) {
      problems.warning("", "pipeline", "ServiceLoadedCheck saw pipeline " + pipeline.name());
    }
  }
}
