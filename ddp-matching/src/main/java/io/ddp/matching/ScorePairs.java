package io.ddp.matching;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores candidate pairs by rules declared in params (the "self-configurable" matcher): each field
 * names a column, a comparator (exact, levenshtein, jaroWinkler, jaccard, numeric, date, cosine; see
 * {@link Comparators}) and a weight; a pair's score is the weighted mean of its fields' similarities,
 * and it is a match when the score reaches {@code threshold}.
 *
 * <p>Missing values: with {@code nulls} {@code neutral} (the default) a field whose value is missing on
 * either side is left out of the mean (a missing phone number neither helps nor hurts); with
 * {@code zero} it counts as 0. A pair with no comparable field scores 0.
 *
 * <p>Inputs, in this order: the candidate pairs ({@code left_id}, {@code right_id}, as {@link Block}
 * makes them) and the records. Output: {@code left_id}, {@code right_id}, one {@code sim_<column>}
 * per field, {@code score} and {@code match}; only the matches unless {@code keep} is {@code all}.
 */
public final class ScorePairs implements SparkPipe<ScorePairs.Params> {
  /** One field's rule. */
  public record Field(
      @Param(value = "The column compared", required = true) String column,
      @Param(value = "exact, levenshtein, jaroWinkler, jaccard, numeric, date or cosine", required = true) String comparator,
      @Param(value = "Its weight in the score", defaultValue = "1.0") Double weight,
      @Param(value = "numeric: the difference at which similarity reaches 0; date: days", defaultValue = "1.0") Double scale) {
    public Field {
      weight = weight == null ? 1.0 : weight;
      scale = scale == null ? 1.0 : scale;
      if (column == null || comparator == null) {
        throw new IllegalArgumentException("each field needs \"column\" and \"comparator\"");
      }
      if (!Comparators.NAMES.contains(comparator)) {
        throw new IllegalArgumentException("unknown comparator '" + comparator + "' for column '" + column + "'; use one of "
            + String.join(", ", Comparators.NAMES));
      }
      if (weight < 0 || scale <= 0) {
        throw new IllegalArgumentException("field '" + column + "': weight must be >= 0 and scale > 0");
      }
    }
  }

  public record Params(
      @Param(value = "The record id column", defaultValue = "\"id\"") String id,
      @Param(value = "The rules: columns, comparators, weights", required = true) List<Field> fields,
      @Param(value = "Score from which a pair is a match", defaultValue = "0.8") Double threshold,
      @Param(value = "A missing value: neutral (left out of the mean) or zero", defaultValue = "\"neutral\"") String nulls,
      @Param(value = "matches (only the matches) or all (every scored pair)", defaultValue = "\"matches\"") String keep) {
    public Params {
      id = id == null ? "id" : id;
      threshold = threshold == null ? 0.8 : threshold;
      nulls = nulls == null ? "neutral" : nulls;
      keep = keep == null ? "matches" : keep;
      if (fields == null || fields.isEmpty()) {
        throw new IllegalArgumentException("give at least one field in \"fields\"");
      }
      fields = List.copyOf(fields);
      if (!List.of("neutral", "zero").contains(nulls)) {
        throw new IllegalArgumentException("nulls must be \"neutral\" or \"zero\", not \"" + nulls + "\"");
      }
      if (!List.of("matches", "all").contains(keep)) {
        throw new IllegalArgumentException("keep must be \"matches\" or \"all\", not \"" + keep + "\"");
      }
      if (threshold < 0 || threshold > 1) {
        throw new IllegalArgumentException("threshold must be in [0, 1]");
      }
      if (fields.stream().mapToDouble(Field::weight).sum() <= 0) {
        throw new IllegalArgumentException("at least one field needs a weight above 0");
      }
    }
  }

  @Override
  public Optional<StructType> outputSchema(Map<String, StructType> inputs, Params p, SparkSession spark) {
    if (inputs.size() != 2) {
      throw new io.ddp.core.pipe.InvalidParamsException(new io.ddp.core.pipe.ParamProblem("fields", "ScorePairs reads two inputs, the candidate pairs then the records; it has " + inputs.size()), null);
    }
    List<StructType> in = new ArrayList<>(inputs.values());
    List<String> pairCols = List.of(in.get(0).fieldNames());
    List<String> recordCols = List.of(in.get(1).fieldNames());
    List<String> problems = new ArrayList<>();
    for (String c : List.of("left_id", "right_id")) {
      if (!pairCols.contains(c)) {
        problems.add("the pairs (first input) have no column '" + c + "'");
      }
    }
    if (!recordCols.contains(p.id())) {
      problems.add("the records (second input) have no id column '" + p.id() + "'");
    }
    for (Field f : p.fields()) {
      if (!recordCols.contains(f.column())) {
        problems.add("the records have no column '" + f.column() + "' (they have " + recordCols + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new io.ddp.core.pipe.InvalidParamsException(new io.ddp.core.pipe.ParamProblem("fields", String.join("; ", problems)), null);
    }
    StructType out = new StructType().add(in.get(0).apply("left_id")).add(in.get(0).apply("right_id"));
    for (Field f : p.fields()) {
      out = out.add("sim_" + f.column(), DataTypes.DoubleType, true);
    }
    return Optional.of(out.add("score", DataTypes.DoubleType, false).add("match", DataTypes.BooleanType, false));
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> pairs = inputs.get(0).select("left_id", "right_id");
    Dataset<Row> records = inputs.get(1);
    List<String> columns = p.fields().stream().map(Field::column).distinct().toList();
    Dataset<Row> left = records.select(prefixed(p.id(), columns, "l_"));
    Dataset<Row> right = records.select(prefixed(p.id(), columns, "r_"));
    Dataset<Row> joined = pairs.join(left, pairs.col("left_id").equalTo(left.col("l_id")))
        .join(right, pairs.col("right_id").equalTo(right.col("r_id")));
    List<Column> out = new ArrayList<>(List.of(col("left_id"), col("right_id")));
    Column weighted = lit(0.0);
    Column weights = lit(0.0);
    for (Field f : p.fields()) {
      Comparators.Comparator cmp = Comparators.of(f.comparator(), f.scale());
      Column sim = udf((UDF2<Object, Object, Double>) cmp::compare, DataTypes.DoubleType)
          .apply(col("l_" + f.column()), col("r_" + f.column()));
      String name = "sim_" + f.column();
      out.add(sim.as(name));
      Column s = col(name);
      boolean neutral = p.nulls().equals("neutral");
      weighted = weighted.plus(coalesce(s, lit(0.0)).multiply(f.weight()));
      weights = weights.plus(neutral ? when(s.isNull(), lit(0.0)).otherwise(lit(f.weight())) : lit(f.weight()));
    }
    Dataset<Row> scored = joined.select(out.toArray(Column[]::new));
    Column score = when(weights.gt(0), weighted.divide(weights)).otherwise(lit(0.0));
    Dataset<Row> result = scored.withColumn("score", score).withColumn("match", col("score").geq(p.threshold()));
    return p.keep().equals("all") ? result : result.where(col("match"));
  }

  private static Column[] prefixed(String id, List<String> columns, String prefix) {
    List<Column> out = new ArrayList<>();
    out.add(col(id).as(prefix + "id"));
    for (String c : columns) {
      out.add(col(c).as(prefix + c));
    }
    return out.toArray(Column[]::new);
  }

  static List<String> names(StructType t) {
    List<String> out = new ArrayList<>();
    for (StructField f : t.fields()) {
      out.add(f.name());
    }
    return out;
  }
}
