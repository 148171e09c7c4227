/**
 * The pipe API a user implements: {@link io.ddp.core.pipe.Pipe} (one method, plus an optional
 * {@code check} of its params), its params, inputs and context, and how pipe types are found on the
 * class path ({@link io.ddp.core.pipe.PipeProvider}, {@link io.ddp.core.pipe.PipeTypes}).
 */
package io.ddp.core.pipe;
