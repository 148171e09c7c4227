package io.ddp.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Holds data to its dataset's declared schema, on read and on write. Names must match exactly;
 * types must match (ignoring nullability) or, with {@code "schemaPolicy": "cast"}, are cast to the
 * declared type; columns declared {@code NOT NULL} fail the job on the first null, without an extra
 * pass over the data. The result has exactly the declared columns, in the declared order.
 *
 * <p>Undeclared columns: produced by a pipe, they are an error (or dropped under {@code cast});
 * present in data that is read, they are simply not selected, since a source may hold more than a
 * pipeline uses. Data that is read may also differ from the declaration in the case of its column
 * names (databases upper-case them); it is renamed to the declared names.
 */
public final class SchemaContract {
  private SchemaContract() {}

  /**
   * What enforcing did.
   *
   * @param rows the data with exactly the declared columns
   * @param changes what was cast or dropped under {@code schemaPolicy: cast}, one sentence each
   */
  public record Result(Dataset<Row> rows, List<String> changes) {}

  /** Checks what a pipe produced against its output's declared schema. */
  public static Result onWrite(Dataset<Row> produced, DataDeclare target, String producer) {
    return enforce(produced, target, producer + " produced", false);
  }

  /** Checks data read from a dataset's location against its declared schema. */
  public static Result onRead(Dataset<Row> read, DataDeclare source) {
    return enforce(read, source, "the data at " + source.location() + " has", true);
  }

  private static Result enforce(Dataset<Row> rows, DataDeclare d, String who, boolean reading) {
    if (d.schema() == null) {
      return new Result(rows, List.of());
    }
    StructType declared = Schemas.parse(d.schema());
    boolean cast = DataDeclare.SCHEMA_CAST.equals(d.schemaPolicy());
    Map<String, StructField> actual = new LinkedHashMap<>();
    for (StructField f : rows.schema().fields()) {
      actual.put(f.name(), f);
    }
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (StructField f : declared.fields()) {
      StructField a = actual.remove(f.name());
      if (a == null && reading) {
        // Databases and some files upper-case names; Spark resolves names case-insensitively too.
        String match = actual.keySet().stream().filter(n -> n.equalsIgnoreCase(f.name())).findFirst().orElse(null);
        a = match == null ? null : actual.remove(match);
      }
      if (a == null) {
        missing.add(f.name() + " " + f.dataType().sql() + caseHint(f.name(), rows.schema()));
        continue;
      }
      Column c = col(quote(a.name()));
      if (!Schemas.sameType(f.dataType(), a.dataType())) {
        if (cast) {
          c = c.cast(f.dataType());
          changes.add("cast " + f.name() + " from " + a.dataType().sql() + " to " + f.dataType().sql());
        } else {
          wrongType.add("column " + f.name() + " is " + a.dataType().sql() + " but declared " + f.dataType().sql());
        }
      }
      if (!f.nullable()) {
        c = when(c.isNull(), raise_error(lit("dataset '" + d.dataId() + "': column " + f.name()
            + " is declared NOT NULL but " + who + " a null"))).otherwise(c);
      }
      columns.add(c.as(f.name()));
    }
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add("missing column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
    }
    problems.addAll(wrongType);
    if (!actual.isEmpty() && !reading) {
      List<String> extra = new ArrayList<>();
      actual.values().forEach(f -> extra.add(f.name() + " " + f.dataType().sql()));
      if (cast) {
        changes.add("dropped undeclared column" + (extra.size() == 1 ? " " : "s ") + String.join(", ", extra));
      } else {
        problems.add("undeclared column" + (extra.size() == 1 ? " " : "s ") + String.join(", ", extra));
      }
    }
    if (!problems.isEmpty()) {
      throw new DdpException((reading ? "the data at " + d.location() : "the output") + " does not match the declared schema of dataset '"
          + d.dataId() + "': " + String.join("; ", problems) + ". Fix " + (reading ? "the data" : "the pipe") + " or the \"schema\" of '"
          + d.dataId() + "'" + (wrongType.isEmpty() || cast ? "" : ", or declare \"schemaPolicy\": \"cast\" to cast the types"));
    }
    return new Result(rows.select(columns.toArray(new Column[0])), List.copyOf(changes));
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String caseHint(String name, StructType actual) {
    for (StructField f : actual.fields()) {
      if (f.name().equalsIgnoreCase(name)) {
        return " (found '" + f.name() + "': names are case-sensitive)";
      }
    }
    return "";
  }
}
