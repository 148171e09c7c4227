/**
 * Validation before anything runs: the checks every pipeline passes ({@link
 * io.ddp.core.validate.Validator}), the SPI for more checks ({@link
 * io.ddp.core.validate.PipelineCheck}), and the problems they report, all together, each at its
 * place in the file ({@link io.ddp.core.validate.SourceMap}); {@link
 * io.ddp.core.validate.InvalidPipelineException} carries them when a pipeline cannot run.
 */
package io.ddp.core.validate;
