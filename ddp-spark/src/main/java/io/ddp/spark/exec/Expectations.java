package io.ddp.spark.exec;

import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.ExpectationDeclare.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A dataset's expectations wired into the plan that computes it, so that they are counted in the same
 * pass (through {@link Dataset#observe}), never by a second read: each row-level condition becomes a
 * flag column, one observation counts the rows and each expectation's violations, {@code drop} and
 * {@code quarantine} rows are filtered out after it, and the flags are dropped again. Row counts
 * ({@code rowCount}) use the row count the run observes on the kept rows anyway.
 */
final class Expectations {
  /** Name of the checked-rows count in the observation. */
  static final String CHECKED = "ddp_checked";
  private static final String FLAG = "_ddp_ok_";

  private final DataDeclare data;
  private final List<ExpectationDeclare> rowLevel;
  private final Dataset<Row> flagged;
  private final Observation observation;
  private final Dataset<Row> kept;

  private Expectations(DataDeclare data, List<ExpectationDeclare> rowLevel, Dataset<Row> flagged, Observation observation,
      Dataset<Row> kept) {
    this.data = data;
    this.rowLevel = rowLevel;
    this.flagged = flagged;
    this.observation = observation;
    this.kept = kept;
  }

  /** The checks of {@code data}'s expectations over {@code produced}; {@code name} names the observation (unique per run). */
  static Expectations over(Dataset<Row> produced, DataDeclare data, String name) {
    List<ExpectationDeclare> rowLevel = data.expectations().stream().filter(ExpectationDeclare::rowLevel).toList();
    if (rowLevel.isEmpty()) {
      return new Expectations(data, rowLevel, null, null, produced);
    }
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    for (int i = 0; i < rowLevel.size(); i++) {
      columns.add(flag(rowLevel.get(i), produced.schema()).as(FLAG + i));
    }
    Dataset<Row> withFlags = produced.select(columns.toArray(new Column[0]));
    Observation observation = new Observation(name);
    List<Column> counts = new ArrayList<>();
    for (int i = 0; i < rowLevel.size(); i++) {
      counts.add(expr("count_if(NOT " + FLAG + i + ")").as("v" + i));
    }
    Dataset<Row> flagged = withFlags.observe(observation, expr("count(1)").as(CHECKED), counts.toArray(new Column[0]));
    Column keep = lit(true);
    for (int i = 0; i < rowLevel.size(); i++) {
      if (removes(rowLevel.get(i))) {
        keep = keep.and(col(FLAG + i));
      }
    }
    Dataset<Row> kept = flagged.filter(keep).drop(flagNames(rowLevel.size()));
    return new Expectations(data, rowLevel, flagged, observation, kept);
  }

  /**
   * The flag of a row-level expectation over a dataset of {@code schema}: true when the row meets it,
   * false when the condition is false or NULL. Accepted values are compared in the column's type
   * ({@code try_cast}), so that a value the type cannot hold never matches instead of failing the run
   * (Spark's ANSI mode fails comparing 'x' to a number).
   */
  static Column flag(ExpectationDeclare e, StructType schema) {
    return org.apache.spark.sql.functions.coalesce(condition(e, schema), lit(false));
  }

  /** The condition of a row-level expectation as a column, as {@link #flag} uses it (without the NULL rule). */
  static Column condition(ExpectationDeclare e, StructType schema) {
    Column condition;
    if (e.kind() == ExpectationDeclare.Kind.ACCEPTED_VALUES) {
      String column = e.columns().get(0);
      DataType type = columnType(schema, column);
      Column c = col(ExpectationDeclare.quote(column));
      Object[] values = e.values().stream()
          .map(v -> type == null || type instanceof StringType ? lit(String.valueOf(v)) : lit(String.valueOf(v)).try_cast(type))
          .toArray();
      condition = c.isNull().or(c.isin(values));
    } else {
      condition = expr(e.condition());
    }
    return condition;
  }

  /** The type of a top-level or nested column, or null when the schema does not have it. */
  static DataType columnType(StructType schema, String column) {
    List<String> parts = ExpectationDeclare.nameParts(column);
    DataType type = schema;
    for (String part : parts) {
      if (!(type instanceof StructType)) {
        return null;
      }
      StructType struct = (StructType) type;
      java.util.Optional<StructField> field = java.util.Arrays.stream(struct.fields()).filter(f -> f.name().equals(part)).findFirst();
      if (field.isEmpty()) {
        field = java.util.Arrays.stream(struct.fields()).filter(f -> f.name().equalsIgnoreCase(part)).findFirst();
      }
      if (field.isEmpty()) {
        return null;
      }
      type = field.get().dataType();
    }
    return type;
  }

  private static boolean removes(ExpectationDeclare e) {
    return e.onViolation() == Action.DROP || e.onViolation() == Action.QUARANTINE;
  }

  private static String[] flagNames(int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = FLAG + i;
    }
    return names;
  }

  /** The rows that meet every {@code drop} and {@code quarantine} expectation, without the flag columns. */
  Dataset<Row> kept() {
    return kept;
  }

  /** The rows with their flags, observed: what to persist when quarantined rows are written besides the kept ones. */
  Dataset<Row> flagged() {
    return flagged;
  }

  boolean quarantines() {
    return rowLevel.stream().anyMatch(e -> e.onViolation() == Action.QUARANTINE);
  }

  /** Whether a violation must stop the run (a {@code fail} expectation). */
  boolean fails() {
    return data.expectations().stream().anyMatch(e -> e.onViolation() == Action.FAIL);
  }

  /**
   * The rows some {@code quarantine} expectation sets aside, computed from {@code rows} (the flagged
   * rows, kept in memory), in the shape of bad records: the row as JSON, the reason naming every
   * expectation it violates, the dataset, and no file.
   */
  Dataset<Row> quarantined(Dataset<Row> rows) {
    Column any = lit(false);
    List<Column> violated = new ArrayList<>();
    for (int i = 0; i < rowLevel.size(); i++) {
      if (rowLevel.get(i).onViolation() == Action.QUARANTINE) {
        any = any.or(col(FLAG + i).equalTo(false));
      }
      violated.add(when(col(FLAG + i).equalTo(false), lit(rowLevel.get(i).name())));
    }
    List<Column> original = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!c.startsWith(FLAG)) {
        original.add(col("`" + c.replace("`", "``") + "`"));
      }
    }
    return rows.filter(any).select(
        to_json(struct(original.toArray(new Column[0]))).as("record"),
        concat(lit("expectations violated: "), concat_ws(", ", array_compact(org.apache.spark.sql.functions.array(
            violated.toArray(new Column[0]))))).as("reason"),
        lit(data.dataId()).as("dataId"),
        lit(null).cast(DataTypes.StringType).as("file"));
  }

  /**
   * Each expectation's outcome, from the observation of the action that computed the dataset (waiting
   * up to {@code waitSeconds} for it) and the kept rows' count ({@code keptRows}, -1 when unknown).
   * What did not arrive is -1 (unknown), never left out.
   */
  List<RunResult.ExpectationOutcome> outcomes(long waitSeconds, long keptRows) {
    Map<String, Long> violations = new LinkedHashMap<>();
    long checked = -1;
    if (observation != null) {
      try {
        Row row = scala.concurrent.Await.result(observation.future(),
            scala.concurrent.duration.Duration.create(waitSeconds, TimeUnit.SECONDS));
        checked = row.getLong(0);
        for (int i = 0; i < rowLevel.size(); i++) {
          violations.put(rowLevel.get(i).name(), row.getLong(i + 1));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // not arrived (timeout) or the action failed: unknown
      }
    }
    List<RunResult.ExpectationOutcome> out = new ArrayList<>();
    for (ExpectationDeclare e : data.expectations()) {
      String action = e.onViolation().jsonName();
      if (e.rowLevel()) {
        out.add(new RunResult.ExpectationOutcome(data.dataId(), e.name(), e.describe(), action, true, checked,
            violations.getOrDefault(e.name(), -1L)));
      } else {
        out.add(new RunResult.ExpectationOutcome(data.dataId(), e.name(), e.describe(), action, false, keptRows,
            keptRows < 0 ? -1 : e.rowCountMet(keptRows) ? 0 : 1));
      }
    }
    return out;
  }

  /** The {@code fail} expectations whose outcome is unknown: the data cannot be let through unchecked. */
  static List<RunResult.ExpectationOutcome> unconfirmed(List<RunResult.ExpectationOutcome> outcomes) {
    return outcomes.stream().filter(o -> o.action().equals(Action.FAIL.jsonName()) && o.violations() < 0).toList();
  }

  /** The outcomes of {@code fail} expectations that were violated. */
  static List<RunResult.ExpectationOutcome> failures(List<RunResult.ExpectationOutcome> outcomes) {
    return outcomes.stream().filter(o -> o.action().equals(Action.FAIL.jsonName()) && o.violations() > 0).toList();
  }

  /** Why the run stops: every failed expectation of the dataset, with its counts. */
  static String failureMessage(String dataId, List<RunResult.ExpectationOutcome> failed) {
    StringBuilder sb = new StringBuilder("dataset '").append(dataId).append("' does not meet ")
        .append(failed.size() == 1 ? "expectation " : "expectations ");
    for (int i = 0; i < failed.size(); i++) {
      RunResult.ExpectationOutcome o = failed.get(i);
      sb.append(i == 0 ? "" : "; ").append('\'').append(o.name()).append("' (").append(o.check()).append("): ");
      sb.append(o.rowLevel() ? o.violations() + " of " + o.rows() + " rows violate it"
          : o.rows() + " rows");
    }
    return sb.append(" (onViolation fail)").toString();
  }
}
