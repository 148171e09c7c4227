package io.ddp.core.validate;

import java.util.Objects;

/**
 * One thing wrong (or suspicious) with a pipeline declaration.
 *
 * @param severity error or warning
 * @param pointer JSON pointer to the offending element, e.g. {@code /transformers/2/inputDataId/0}; used
 *     to find the line and column in the file
 * @param subject what the problem is about, as the user knows it: {@code dataset 'Reviews'},
 *     {@code pipe #3 Score -> Predictions}, {@code metric 'rows'}, or {@code pipeline}
 * @param message what is wrong and how to fix it
 */
public record Problem(Severity severity, String pointer, String subject, String message) {

  public Problem {
    Objects.requireNonNull(severity, "severity");
    pointer = pointer == null ? "" : pointer;
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }

  public static Problem error(String pointer, String subject, String message) {
    return new Problem(Severity.ERROR, pointer, subject, message);
  }

  public static Problem warning(String pointer, String subject, String message) {
    return new Problem(Severity.WARNING, pointer, subject, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** One line: {@code pipeline.json:14:7: error: pipe #3 X -> Y: input 'Z' is not declared ...}. */
  public String format(SourceMap sources) {
    return sources.describe(pointer) + ": " + severity + ": " + subject + ": " + message;
  }

  @Override
  public String toString() {
    return severity + ": " + subject + ": " + message + (pointer.isEmpty() ? "" : " (at " + pointer + ")");
  }
}
