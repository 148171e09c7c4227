package io.ddp.core.pipe;

import java.util.List;

/**
 * Registers pipe aliases, discovered with {@link java.util.ServiceLoader}. To register your pipes, implement
 * this and list the class in {@code META-INF/services/io.ddp.core.pipe.PipeProvider}:
 *
 * <pre>{@code
 * public final class MyPipes implements PipeProvider {
 *   public List<PipeRegistration> pipes() {
 *     return List.of(PipeRegistration.of("Tokenize", Tokenize.class));
 *   }
 * }
 * }</pre>
 *
 * A pipe can also be named by its fully qualified class name without any registration.
 */
public interface PipeProvider {
  List<PipeRegistration> pipes();
}
