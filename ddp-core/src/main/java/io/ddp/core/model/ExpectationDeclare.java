package io.ddp.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A data expectation declared on a dataset: a condition its rows (or the dataset as a whole) must
 * meet, and what a violation does.
 *
 * <pre>{@code
 * "expectations": [
 *   {"name": "hasText", "expect": "length(text) > 0", "onViolation": "drop"},
 *   {"notNull": ["id"], "onViolation": "fail"},
 *   {"primaryKey": ["id"]},
 *   {"column": "lang", "acceptedValues": ["en", "de"], "onViolation": "quarantine"},
 *   {"rowCount": {"min": 1}, "onViolation": "fail"}]
 * }</pre>
 *
 * <p>A row meets a row-level expectation when its condition is true: a condition that is false or
 * NULL is a violation (write {@code x IS NULL OR x > 0} to let nulls pass). {@code acceptedValues}
 * lets nulls pass (add {@code notNull} to forbid them); {@code unique} ignores rows whose key has a
 * null, {@code primaryKey} is {@code notNull} and {@code unique} together.
 *
 * @param name unique within the dataset: letters, digits and {@code _}, starting with a letter
 * @param kind which condition
 * @param expression for {@link Kind#EXPECT}: a boolean Spark SQL expression over the dataset's columns
 * @param columns for notNull, unique, primaryKey (the key) and acceptedValues (one column)
 * @param values for acceptedValues: strings, numbers or booleans, as written in the JSON
 * @param min for rowCount: the least number of rows, or null
 * @param max for rowCount: the most rows, or null
 * @param onViolation what a violation does
 */
public record ExpectationDeclare(
    String name, Kind kind, String expression, List<String> columns, List<Object> values, Long min, Long max, Action onViolation) {

  /** The condition an expectation states. */
  public enum Kind {
    EXPECT("expect"),
    NOT_NULL("notNull"),
    UNIQUE("unique"),
    PRIMARY_KEY("primaryKey"),
    ACCEPTED_VALUES("acceptedValues"),
    ROW_COUNT("rowCount");

    private final String jsonName;

    Kind(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The JSON key that declares this kind. */
    public String jsonName() {
      return jsonName;
    }

    public static Optional<Kind> fromJson(String key) {
      for (Kind k : values()) {
        if (k.jsonName.equals(key)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /** What a violation does. */
  public enum Action {
    /** Count the violating rows; keep them. */
    WARN,
    /** Remove the violating rows from the dataset, counted. */
    DROP,
    /** Remove them and write them, with the expectation's name, to the dataset's quarantine location. */
    QUARANTINE,
    /** Fail the run before the dataset is written or read by any pipe. */
    FAIL;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> fromJson(String text) {
      for (Action a : values()) {
        if (a.jsonName().equalsIgnoreCase(text)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  public ExpectationDeclare {
    Objects.requireNonNull(kind, "Cannot declare an expectation: kind is null");
    columns = columns == null ? List.of() : List.copyOf(columns);
    values = values == null ? List.of() : List.copyOf(values);
    onViolation = onViolation == null ? Action.WARN : onViolation;
    name = name != null ? name : defaultName(kind, columns);
  }

  /** A boolean SQL condition, e.g. {@code length(text) > 0}. */
  public static ExpectationDeclare expect(String name, String expression, Action onViolation) {
    return new ExpectationDeclare(name, Kind.EXPECT, expression, null, null, null, null, onViolation);
  }

  /** notNull, unique or primaryKey over {@code columns}. */
  public static ExpectationDeclare columns(Kind kind, List<String> columns, Action onViolation) {
    return new ExpectationDeclare(null, kind, null, columns, null, null, null, onViolation);
  }

  public static ExpectationDeclare acceptedValues(String column, List<?> values, Action onViolation) {
    return new ExpectationDeclare(null, Kind.ACCEPTED_VALUES, null, List.of(column), List.copyOf(values), null, null, onViolation);
  }

  public static ExpectationDeclare rowCount(Long min, Long max, Action onViolation) {
    return new ExpectationDeclare(null, Kind.ROW_COUNT, null, null, null, min, max, onViolation);
  }

  /** {@code notNull_id}, {@code unique_a_b}, {@code rowCount}: the name when none is declared. */
  public static String defaultName(Kind kind, List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      return kind.jsonName();
    }
    String cols = columns.stream().map(c -> String.join("_", nameParts(c)).replaceAll("[^A-Za-z0-9_]", "_"))
        .collect(Collectors.joining("_"));
    return kind.jsonName() + "_" + cols;
  }

  /** Whether rows are checked one by one (every kind but rowCount). */
  public boolean rowLevel() {
    return kind != Kind.ROW_COUNT;
  }

  /**
   * The Spark SQL condition a good row meets; a window expression for unique and primaryKey (so it
   * costs a shuffle by the key). Not defined for rowCount.
   */
  public String condition() {
    switch (kind) {
      case EXPECT:
        return expression;
      case NOT_NULL:
        return columns.stream().map(c -> quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
      case UNIQUE:
        return "(" + columns.stream().map(c -> quote(c) + " IS NULL").collect(Collectors.joining(" OR ")) + " OR "
            + "count(1) OVER (PARTITION BY " + columns.stream().map(ExpectationDeclare::quote).collect(Collectors.joining(", "))
            + ") = 1)";
      case PRIMARY_KEY:
        return columns.stream().map(c -> quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "))
            + " AND count(1) OVER (PARTITION BY " + columns.stream().map(ExpectationDeclare::quote).collect(Collectors.joining(", "))
            + ") = 1";
      case ACCEPTED_VALUES:
        return quote(columns.get(0)) + " IS NULL OR " + quote(columns.get(0)) + " IN ("
            + values.stream().map(ExpectationDeclare::literal).collect(Collectors.joining(", ")) + ")";
      default:
        throw new IllegalStateException("a rowCount expectation has no row condition");
    }
  }

  /** Whether a row count meets a rowCount expectation. */
  public boolean rowCountMet(long rows) {
    return (min == null || rows >= min) && (max == null || rows <= max);
  }

  /** How messages and the report state the expectation, e.g. {@code notNull(id)} or {@code rowCount in [1, 100]}. */
  public String describe() {
    switch (kind) {
      case EXPECT:
        return expression;
      case ACCEPTED_VALUES:
        return columns.get(0) + " in " + values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
      case ROW_COUNT:
        return "rowCount in [" + (min == null ? "0" : min) + ", " + (max == null ? "any" : max) + "]";
      default:
        return kind.jsonName() + "(" + String.join(", ", columns) + ")";
    }
  }

  /**
   * A column as a Spark SQL identifier: each part of a nested path quoted ({@code address.city} is
   * {@code `address`.`city`}; a part written in backticks, such as {@code `a.b`}, is one part).
   */
  public static String quote(String column) {
    return nameParts(column).stream().map(part -> "`" + part.replace("`", "``") + "`").collect(Collectors.joining("."));
  }

  /**
   * The parts of a column path: split at dots outside backticks; a part in backticks is taken as
   * written inside them (a doubled backtick is one backtick). {@code addr.city} is [addr, city],
   * {@code `a.b`} is [a.b].
   */
  public static List<String> nameParts(String column) {
    List<String> parts = new java.util.ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < column.length(); i++) {
      char c = column.charAt(i);
      if (c == '`') {
        if (quoted && i + 1 < column.length() && column.charAt(i + 1) == '`') {
          part.append('`');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  private static String literal(Object value) {
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    return "'" + String.valueOf(value).replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
