package io.ddp.core.pipe;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Objects with an explicit lifetime, for pipes whose work needs expensive helpers (a model, a
 * tokenizer, a client). Ask on the driver, in {@code apply}; call {@link Scoped#get()} where the work
 * runs (inside {@code mapPartitions}, a UDF...): the handle is serializable and resolves on each
 * executor.
 *
 * <pre>{@code
 * Scoped<OrtSession> model = ctx.scopes().instance("minilm@" + sha256, () -> loadModel(path));
 * Scoped<Buffer> buffer = ctx.scopes().partition("batch-buffer", Buffer::new);
 * return rows.mapPartitions(it -> score(model.get(), buffer.get(), it), encoder);
 * }</pre>
 *
 * <ul>
 *   <li>{@link #instance}: one object per key per JVM (each executor, and the driver), created lazily on
 *       first use, shared by every task, pipe and pipeline in that JVM, so it must be thread-safe;
 *       closed (if {@link AutoCloseable}) when the JVM shuts down. For models and clients.
 *   <li>{@link #partition}: one object per key per partition (task), closed when the task ends. For
 *       per-partition buffers, connections, non-thread-safe helpers.
 *   <li>{@link #record}: a new object at every {@code get()}. For cheap, stateful per-record helpers.
 * </ul>
 */
public interface Scopes {
  /** A supplier that can travel to executors. */
  @FunctionalInterface
  interface Factory<T> extends Supplier<T>, Serializable {}

  /** A handle resolving to the scoped object where {@link #get()} is called. */
  @FunctionalInterface
  interface Scoped<T> extends Serializable {
    T get();
  }

  <T> Scoped<T> instance(String key, Factory<T> factory);

  <T> Scoped<T> partition(String key, Factory<T> factory);

  default <T> Scoped<T> record(Factory<T> factory) {
    return factory::get;
  }
}
