/**
 * The root of DDP's exceptions: {@link io.ddp.core.exceptions.DdpException}, for any failure with a
 * message a user can act on. A pipeline with problems is an {@link
 * io.ddp.core.validate.InvalidPipelineException}, which carries every one of them.
 */
package io.ddp.core.exceptions;
