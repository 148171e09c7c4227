package io.ddp.core.validate;

import io.ddp.core.model.PipelineDeclare;

/**
 * An extra static check run by the {@link Validator} before anything executes, discovered with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.ddp.core.validate.PipelineCheck}).
 * Platforms use it for what the core cannot know, e.g. Spark checks that schemas parse.
 * A check reports into {@code problems} and never throws for a bad declaration.
 */
public interface PipelineCheck {
  void check(PipelineDeclare pipeline, Problems problems);
}
