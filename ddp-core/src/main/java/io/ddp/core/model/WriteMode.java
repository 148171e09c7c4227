package io.ddp.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * What happens when a sink's location already holds data. The names and meaning are Spark's
 * {@code SaveMode}, plus {@code merge} (an upsert, see {@link MergeDeclare}); the JSON spelling is
 * {@code overwrite|append|errorIfExists|ignore|merge} (case-insensitive).
 */
public enum WriteMode {
  OVERWRITE("overwrite"),
  APPEND("append"),
  ERROR_IF_EXISTS("errorIfExists"),
  IGNORE("ignore"),
  /**
   * Upsert by the key columns of the dataset's {@code "merge"} declaration ({@link MergeDeclare}): rows
   * whose keys the table holds update them (or delete them), the others are inserted. For formats that
   * can merge in place: Delta Lake, Iceberg, JDBC.
   */
  MERGE("merge");

  private final String jsonName;

  WriteMode(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling used in pipeline JSON, e.g. {@code errorIfExists}. */
  public String jsonName() {
    return jsonName;
  }

  /** Parses the JSON spelling, ignoring case; empty if the text names no mode. */
  public static Optional<WriteMode> fromJson(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (WriteMode mode : values()) {
      if (mode.jsonName.toLowerCase(Locale.ROOT).equals(lower)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
