package io.ddp.core.validate;

/** A 1-based line and column in a pipeline file. */
public record SourcePosition(int line, int column) {
  @Override
  public String toString() {
    return line + ":" + column;
  }
}
