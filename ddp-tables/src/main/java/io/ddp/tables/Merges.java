package io.ddp.tables;

import io.ddp.core.model.MergeDeclare;
import java.util.stream.Collectors;

/**
 * The SQL pieces of a declared merge, over the aliases {@code target} (the table) and {@code source}
 * (the rows being written), shared by the table formats.
 */
final class Merges {
  /** The alias of the table's rows in conditions. */
  static final String TARGET = "target";
  /** The alias of the rows being written in conditions. */
  static final String SOURCE = "source";

  private Merges() {}

  /** {@code target.k1 = source.k1 AND ...}: keys match (null keys never match, as in SQL). */
  static String on(MergeDeclare merge) {
    return merge.keys().stream().map(k -> TARGET + "." + quote(k) + " = " + SOURCE + "." + quote(k))
        .collect(Collectors.joining(" AND "));
  }

  /**
   * The condition under which a source row that matches nothing is inserted: not a deletion
   * ({@code deleteWhen} false or null); null when every such row is inserted.
   */
  static String insertWhen(MergeDeclare merge) {
    return merge.deleteWhen() == null ? null : "NOT coalesce(" + merge.deleteWhen() + ", false)";
  }

  static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
