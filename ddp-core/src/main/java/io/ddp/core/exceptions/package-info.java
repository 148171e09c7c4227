/**
 * The exceptions DDP throws: {@link io.ddp.core.exceptions.DdpException} for any failure with a
 * message a user can act on, and {@link io.ddp.core.validate.InvalidPipelineException} carrying
 * every validation problem of a pipeline at once.
 */
package io.ddp.core.exceptions;
