package io.ddp.io;

import io.ddp.core.model.WriteMode;
import org.apache.spark.sql.SaveMode;

/** Spark's {@link SaveMode} for a declared {@link WriteMode}, for formats written by a Spark writer. */
public final class SaveModes {
  private SaveModes() {}

  /**
   * The save mode of a declared mode; {@code merge} has none (a format that merges handles it before
   * asking), and is refused here rather than silently written as another mode.
   */
  public static SaveMode of(WriteMode mode) {
    switch (mode) {
      case OVERWRITE:
        return SaveMode.Overwrite;
      case APPEND:
        return SaveMode.Append;
      case IGNORE:
        return SaveMode.Ignore;
      case ERROR_IF_EXISTS:
        return SaveMode.ErrorIfExists;
      default:
        throw new IllegalArgumentException("mode " + mode.jsonName() + " has no Spark save mode; the format must merge it itself");
    }
  }
}
