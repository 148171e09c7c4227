package io.ddp.core.model;

import java.util.List;
import java.util.Objects;

/**
 * How a sink written with {@code "mode": "merge"} folds its rows into what the table holds: an upsert
 * by key columns ({@code MERGE INTO} for Delta Lake and Iceberg, {@code INSERT ... ON CONFLICT} for
 * JDBC). Conditions are Spark SQL over {@code source.col} (the row being written) and
 * {@code target.col} (the row the table holds with the same keys).
 *
 * <pre>{@code
 * "mode": "merge",
 * "merge": {"keys": ["id"], "deleteWhen": "source.op = 'D'", "updateWhen": "source.updated_at > target.updated_at"}
 * }</pre>
 *
 * @param keys the columns that identify a row; a row whose keys match a table row updates it, others are inserted
 * @param deleteWhen a condition on {@code source} (and, for table formats, {@code target}) columns: a matching
 *     table row is deleted instead of updated, and a source row that matches nothing is not inserted; null for none
 * @param updateWhen a condition under which a matching table row is updated (otherwise left as it is); null: always
 */
public record MergeDeclare(List<String> keys, String deleteWhen, String updateWhen) {
  public MergeDeclare {
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  /** A merge by these key columns, without conditions. */
  public static MergeDeclare byKeys(String... keys) {
    return new MergeDeclare(List.of(keys), null, null);
  }

  /** This merge with a delete condition. */
  public MergeDeclare deleteWhen(String condition) {
    return new MergeDeclare(keys, Objects.requireNonNull(condition, "deleteWhen"), updateWhen);
  }

  /** This merge with an update condition. */
  public MergeDeclare updateWhen(String condition) {
    return new MergeDeclare(keys, deleteWhen, Objects.requireNonNull(condition, "updateWhen"));
  }
}
