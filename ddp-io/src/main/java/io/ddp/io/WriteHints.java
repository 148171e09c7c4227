package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The write hints DDP takes out of a dataset's options instead of passing them to the format:
 * {@code repartition} (a number of partitions, columns, or both: {@code "8"}, {@code "country"},
 * {@code "8:country,day"}) and {@code coalesce} (a number). One parser serves the static check and the
 * write.
 *
 * @param coalesce the number of partitions to coalesce to; null for none
 * @param partitions the number of partitions to repartition to; null when not given
 * @param columns the columns to repartition by; empty when not given
 */
record WriteHints(Integer coalesce, Integer partitions, List<String> columns) {
  /** The options that are hints. */
  static final Set<String> OPTIONS = Set.of("repartition", "coalesce");

  private static final String NUMBER = "[1-9][0-9]{0,8}";
  private static final String COLUMNS = "[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*";

  WriteHints {
    columns = List.copyOf(columns);
  }

  /** The hints in the options; each malformed one is left out and described in {@code problems}. */
  static WriteHints parse(Map<String, String> options, List<String> problems) {
    String coalesce = options.get("coalesce");
    String repartition = options.get("repartition");
    Integer coalesced = null;
    if (coalesce != null) {
      if (coalesce.matches(NUMBER)) {
        coalesced = Integer.valueOf(coalesce);
      } else {
        problems.add("option \"coalesce\" must be a positive number of partitions, not \"" + coalesce + "\"");
      }
    }
    Integer partitions = null;
    List<String> columns = List.of();
    if (repartition != null) {
      if (repartition.matches(NUMBER)) {
        partitions = Integer.valueOf(repartition);
      } else if (repartition.matches(COLUMNS)) {
        columns = List.of(repartition.split(","));
      } else if (repartition.matches(NUMBER + ":" + COLUMNS)) {
        int colon = repartition.indexOf(':');
        partitions = Integer.valueOf(repartition.substring(0, colon));
        columns = List.of(repartition.substring(colon + 1).split(","));
      } else {
        problems.add("option \"repartition\" must be a number, columns, or both as \"8:col1,col2\", not \"" + repartition + "\"");
      }
    }
    if (coalesce != null && repartition != null) {
      problems.add("give \"repartition\" or \"coalesce\", not both");
    }
    return new WriteHints(coalesced, partitions, columns);
  }

  /** The hints of a dataset about to be written; malformed hints (which validation reports) are an error. */
  static WriteHints of(String dataId, Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    WriteHints hints = parse(options, problems);
    if (!problems.isEmpty()) {
      throw new DdpException("Cannot write dataset '" + dataId + "': " + String.join("; ", problems));
    }
    return hints;
  }

  /** The rows shaped as the hints say. */
  Dataset<Row> apply(Dataset<Row> rows) {
    if (coalesce != null) {
      return rows.coalesce(coalesce);
    }
    Column[] cols = columns.stream().map(functions::col).toArray(Column[]::new);
    if (partitions == null) {
      return cols.length == 0 ? rows : rows.repartition(cols);
    }
    return cols.length == 0 ? rows.repartition(partitions) : rows.repartition(partitions, cols);
  }
}
