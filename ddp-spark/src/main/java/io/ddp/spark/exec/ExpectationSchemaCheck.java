package io.ddp.spark.exec;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.ExpectationDeclare.Kind;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Expectations checked against the schema flowing into their dataset, by analysis only (no job): the
 * columns they name exist, each condition parses and is boolean, accepted values fit the column's type.
 */
final class ExpectationSchemaCheck {
  private ExpectationSchemaCheck() {}

  static void check(ExecutionPlan plan, SparkSession spark, Map<String, StructType> known, Problems problems) {
    List<DataDeclare> data = plan.pipeline().data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      StructType schema = known.get(d.dataId());
      if (schema == null || d.expectations().isEmpty()) {
        continue;
      }
      Dataset<Row> empty = spark.createDataFrame(List.<Row>of(), schema);
      for (int j = 0; j < d.expectations().size(); j++) {
        ExpectationDeclare e = d.expectations().get(j);
        String pointer = Subjects.dataPointer(i) + "/expectations/" + j;
        if (e.rowLevel() && columnsExist(d, e, schema, pointer, problems)) {
          condition(d, e, schema, empty, pointer, problems);
        }
      }
    }
  }

  private static boolean columnsExist(DataDeclare d, ExpectationDeclare e, StructType schema, String pointer, Problems problems) {
    boolean all = true;
    for (String column : e.columns()) {
      if (Expectations.columnType(schema, column) == null) {
        all = false;
        problems.error(pointer + "/" + (e.kind() == Kind.ACCEPTED_VALUES ? "column" : e.kind().jsonName()), Subjects.dataset(d.dataId()),
            "expectation '" + e.name() + "' names column '" + column + "', which '" + d.dataId() + "' does not have"
                + Suggestions.didYouMean(column, List.of(schema.fieldNames())) + "; its columns: "
                + String.join(", ", schema.fieldNames()));
      }
    }
    return all;
  }

  private static void condition(DataDeclare d, ExpectationDeclare e, StructType schema, Dataset<Row> empty, String pointer,
      Problems problems) {
    String where = pointer + (e.kind() == Kind.EXPECT ? "/expect" : "");
    String subject = Subjects.dataset(d.dataId());
    if (e.kind() == Kind.ACCEPTED_VALUES) {
      DataType type = Expectations.columnType(schema, e.columns().get(0));
      for (Object v : e.values()) {
        if (!fits(v, type)) {
          problems.error(pointer + "/acceptedValues", subject, "expectation '" + e.name() + "' accepts " + v + ", which column '"
              + e.columns().get(0) + "' (" + type.sql() + ") cannot hold; give values of its type");
        }
      }
    }
    DataType type;
    try {
      // Analysed as the run computes it: beside every column, so an aggregate such as count(1) > 0 is refused.
      StructType analysed = empty.select(functions.col("*"), Expectations.condition(e, schema).as("_ddp_condition")).schema();
      type = analysed.fields()[analysed.size() - 1].dataType();
      if (type instanceof BooleanType) {
        empty.select(functions.col("*"), Expectations.flag(e, schema).as("_ddp_ok")).schema();
      }
    } catch (Exception ex) { // AnalysisException, ParseException
      problems.error(where, subject, "expectation '" + e.name() + "': \"" + e.describe() + "\" is not a condition over '" + d.dataId()
          + "' (" + String.join(", ", schema.fieldNames()) + "): " + Messages.firstLine(ex.getMessage()));
      return;
    }
    if (!(type instanceof BooleanType)) {
      problems.error(where, subject, "expectation '" + e.name() + "': \"" + e.describe() + "\" is " + type.sql()
          + ", not a condition; write a boolean expression, e.g. \"" + e.describe() + " > 0\" or \"" + e.describe() + " IS NOT NULL\"");
    }
  }

  /** Whether Spark's {@code try_cast} of the value's text to the column's type gives a value (not NULL). */
  static boolean fits(Object value, DataType type) {
    String text = String.valueOf(value).trim();
    try {
      if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType) {
        BigInteger v = new BigDecimal(text).toBigIntegerExact();
        long min = type instanceof ByteType ? Byte.MIN_VALUE : type instanceof ShortType ? Short.MIN_VALUE
            : type instanceof IntegerType ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = type instanceof ByteType ? Byte.MAX_VALUE : type instanceof ShortType ? Short.MAX_VALUE
            : type instanceof IntegerType ? Integer.MAX_VALUE : Long.MAX_VALUE;
        return v.compareTo(BigInteger.valueOf(min)) >= 0 && v.compareTo(BigInteger.valueOf(max)) <= 0 && !text.contains(".");
      }
      if (type instanceof NumericType) {
        new BigDecimal(text);
        return true;
      }
      if (type instanceof BooleanType) {
        return List.of("true", "false", "t", "f", "yes", "no", "y", "n", "1", "0").contains(text.toLowerCase(java.util.Locale.ROOT));
      }
      if (type instanceof DateType) {
        java.time.LocalDate.parse(text);
        return true;
      }
      if (type instanceof TimestampType || type instanceof TimestampNTZType) {
        return parsesAsTimestamp(text);
      }
    } catch (ArithmeticException | java.time.format.DateTimeParseException | NumberFormatException e) {
      return false;
    }
    return true;
  }

  private static boolean parsesAsTimestamp(String text) {
    for (java.util.function.Function<String, Object> parse : List.<java.util.function.Function<String, Object>>of(
        java.time.LocalDate::parse, t -> java.time.LocalDateTime.parse(t.replace(' ', 'T')), java.time.OffsetDateTime::parse,
        java.time.Instant::parse)) {
      try {
        parse.apply(text);
        return true;
      } catch (java.time.format.DateTimeParseException e) {
        // try the next form
      }
    }
    return false;
  }
}
