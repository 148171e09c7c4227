package io.ddp.core.pipe;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An alias for a pipe class, so pipelines can say {@code "transformerType": "sql"} instead of a class name.
 *
 * @param alias the name used in {@code transformerType}: letters, digits, {@code _ - .}
 * @param pipeClass the class implementing {@link Pipe}
 * @param description one line for {@code ddp pipes} and docs; may be empty
 */
public record PipeRegistration(String alias, Class<?> pipeClass, String description) {
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

  public PipeRegistration {
    Objects.requireNonNull(alias, "PipeRegistration called with null alias");
    Objects.requireNonNull(pipeClass, () -> "PipeRegistration '" + alias + "' called with null class");
    if (!ALIAS.matcher(alias).matches()) {
      throw new IllegalArgumentException("Cannot register pipe alias '" + alias
          + "': use letters, digits, '_', '-' and '.', starting with a letter");
    }
    if (!Pipe.class.isAssignableFrom(pipeClass)) {
      throw new IllegalArgumentException("Cannot register pipe alias '" + alias + "': " + pipeClass.getName()
          + " does not implement " + Pipe.class.getName());
    }
    description = description == null ? "" : description;
  }

  public static PipeRegistration of(String alias, Class<?> pipeClass) {
    return new PipeRegistration(alias, pipeClass, "");
  }
}
