/**
 * Validation before anything runs: the checks every pipeline passes ({@link
 * io.ddp.core.validate.Validator}), the SPI for more checks ({@link
 * io.ddp.core.validate.PipelineCheck}), and the problems they report, all together.
 */
package io.ddp.core.validate;
