package io.ddp.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
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

  /**
   * {@code actual} holds exactly these rows in any order. Values are compared by content: nested rows,
   * arrays and maps included, whatever Row implementation holds them.
   */
  public static void assertRows(Dataset<Row> actual, List<Row> expected) {
    List<Row> rows = actual.collectAsList();
    Map<Object, Integer> missing = new HashMap<>();
    Map<Object, Row> originals = new HashMap<>();
    for (Row r : expected) {
      Object key = normalize(r);
      missing.merge(key, 1, Integer::sum);
      originals.put(key, r);
    }
    List<Row> unexpected = new ArrayList<>();
    for (Row r : rows) {
      Object key = normalize(r);
      Integer n = missing.get(key);
      if (n == null) {
        unexpected.add(r);
      } else if (n == 1) {
        missing.remove(key);
      } else {
        missing.put(key, n - 1);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      List<Row> absent = new ArrayList<>();
      missing.forEach((key, n) -> {
        for (int i = 0; i < n; i++) {
          absent.add(originals.get(key));
        }
      });
      throw new AssertionError("DataFrame rows differ (" + rows.size() + " actual, " + expected.size() + " expected)"
          + "\n  missing " + absent.size() + ": " + show(absent)
          + "\n  unexpected " + unexpected.size() + ": " + show(unexpected)
          + (sameText(absent, unexpected) ? "\n  (some rows print the same but hold values of different types,"
              + " e.g. Double and BigDecimal: compare the schemas)" : ""));
    }
  }

  /** The schema has exactly these columns and types, e.g. {@code "id BIGINT, name STRING"}. */
  public static void assertSchema(Dataset<Row> actual, String ddl) {
    assertSchema(actual, StructType.fromDDL(ddl));
  }

  public static void assertSchema(Dataset<Row> actual, StructType expected) {
    List<String> diff = differences(expected, actual.schema());
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

  /** Missing, mistyped and extra columns of {@code actual}, types compared without nullability. */
  private static List<String> differences(StructType expected, StructType actual) {
    Map<String, StructField> left = new LinkedHashMap<>();
    for (StructField f : actual.fields()) {
      left.put(f.name(), f);
    }
    List<String> out = new ArrayList<>();
    for (StructField want : expected.fields()) {
      StructField got = left.remove(want.name());
      if (got == null) {
        out.add("missing column " + want.name() + " " + want.dataType().sql());
      } else if (!nullable(want.dataType()).equals(nullable(got.dataType()))) {
        out.add("column " + want.name() + " is " + got.dataType().sql() + " but declared " + want.dataType().sql());
      }
    }
    left.values().forEach(f -> out.add("undeclared column " + f.name() + " " + f.dataType().sql()));
    return out;
  }

  /** The same type with every field, element and value nullable, so equality ignores nullability. */
  private static DataType nullable(DataType type) {
    if (type instanceof StructType) {
      List<StructField> fields = new ArrayList<>();
      for (StructField f : ((StructType) type).fields()) {
        fields.add(new StructField(f.name(), nullable(f.dataType()), true, org.apache.spark.sql.types.Metadata.empty()));
      }
      return new StructType(fields.toArray(new StructField[0]));
    }
    if (type instanceof ArrayType) {
      return new ArrayType(nullable(((ArrayType) type).elementType()), true);
    }
    if (type instanceof MapType) {
      MapType map = (MapType) type;
      return new MapType(nullable(map.keyType()), nullable(map.valueType()), true);
    }
    return type;
  }

  /** Rows, Scala collections and arrays as plain Java lists and maps, so equality is by content. */
  static Object normalize(Object value) {
    if (value instanceof Row) {
      Row row = (Row) value;
      List<Object> out = new ArrayList<>(row.length());
      for (int i = 0; i < row.length(); i++) {
        out.add(normalize(row.get(i)));
      }
      return out;
    }
    if (value instanceof scala.collection.Seq) {
      List<Object> out = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value).forEach(v -> out.add(normalize(v)));
      return out;
    }
    if (value instanceof scala.collection.Map) {
      Map<Object, Object> out = new HashMap<>();
      scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Map<?, ?>) value).forEach((k, v) -> out.put(normalize(k), normalize(v)));
      return out;
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      ((List<?>) value).forEach(v -> out.add(normalize(v)));
      return out;
    }
    if (value instanceof byte[]) {
      List<Object> out = new ArrayList<>();
      for (byte b : (byte[]) value) {
        out.add(b);
      }
      return out;
    }
    if (value instanceof java.math.BigDecimal) {
      return ((java.math.BigDecimal) value).stripTrailingZeros();
    }
    return value;
  }

  private static boolean sameText(List<Row> a, List<Row> b) {
    java.util.Set<String> texts = a.stream().map(Row::toString).collect(Collectors.toSet());
    return b.stream().map(Row::toString).anyMatch(texts::contains);
  }

  private static String show(List<Row> rows) {
    String shown = rows.stream().limit(SHOWN).map(Row::toString).collect(Collectors.joining(", ", "[", "]"));
    return rows.size() > SHOWN ? shown + " and " + (rows.size() - SHOWN) + " more" : shown;
  }
}
