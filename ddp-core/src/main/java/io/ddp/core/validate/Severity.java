package io.ddp.core.validate;

/** How bad a {@link Problem} is: errors stop the pipeline before it starts, warnings do not. */
public enum Severity {
  ERROR,
  WARNING;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
