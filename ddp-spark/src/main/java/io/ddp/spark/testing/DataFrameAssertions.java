package io.ddp.spark.testing;

import io.ddp.spark.io.Schemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Assertions on DataFrames for pipe tests, in the spirit of Beam's {@code PAssert}: rows compared as
 * multisets (order ignored, duplicates counted), schemas compared by names and types.
 */
public final class DataFrameAssertions {
  private static final int SHOWN = 10;

  private DataFrameAssertions() {}

  /** Both have the same columns (names and types, nullability ignored) and the same rows in any order. */
  public static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected) {
    assertSchema(actual, expected.schema());
    assertRows(actual, expected.collectAsList());
  }

  /** {@code actual} holds exactly these rows in any order (values compared with {@code Row.equals}). */
  public static void assertRows(Dataset<Row> actual, List<Row> expected) {
    List<Row> rows = actual.collectAsList();
    Map<Row, Integer> missing = counts(expected);
    List<Row> unexpected = new ArrayList<>();
    for (Row r : rows) {
      Integer n = missing.get(r);
      if (n == null) {
        unexpected.add(r);
      } else if (n == 1) {
        missing.remove(r);
      } else {
        missing.put(r, n - 1);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      List<Row> absent = new ArrayList<>();
      missing.forEach((row, n) -> {
        for (int i = 0; i < n; i++) {
          absent.add(row);
        }
      });
      throw new AssertionError("DataFrame rows differ (" + rows.size() + " actual, " + expected.size() + " expected)"
          + "\n  missing " + absent.size() + ": " + show(absent)
          + "\n  unexpected " + unexpected.size() + ": " + show(unexpected));
    }
  }

  /** The schema has exactly these columns and types, e.g. {@code "id BIGINT, name STRING"}. */
  public static void assertSchema(Dataset<Row> actual, String ddl) {
    assertSchema(actual, Schemas.parse(ddl));
  }

  public static void assertSchema(Dataset<Row> actual, StructType expected) {
    List<String> diff = Schemas.differences(expected, actual.schema());
    List<String> actualNames = List.of(actual.schema().fieldNames());
    List<String> expectedNames = List.of(expected.fieldNames());
    if (!diff.isEmpty()) {
      throw new AssertionError("Schema differs: " + String.join("; ", diff) + "\n  actual:   " + actual.schema().toDDL()
          + "\n  expected: " + expected.toDDL());
    }
    if (!actualNames.equals(expectedNames)) {
      throw new AssertionError("Columns are in a different order: actual " + actualNames + ", expected " + expectedNames);
    }
  }

  private static Map<Row, Integer> counts(List<Row> rows) {
    Map<Row, Integer> m = new HashMap<>();
    rows.forEach(r -> m.merge(r, 1, Integer::sum));
    return m;
  }

  private static String show(List<Row> rows) {
    String shown = rows.stream().limit(SHOWN).map(Row::toString).collect(Collectors.joining(", ", "[", "]"));
    return rows.size() > SHOWN ? shown + " and " + (rows.size() - SHOWN) + " more" : shown;
  }
}
