package io.ddp.matching;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Puts the values records are matched on into one form, by steps declared per column, so that the
 * comparators compare what the values mean rather than how a source spelt them:
 * <ul>
 *   <li>{@code lower}, {@code trim} (also collapses inner spaces);</li>
 *   <li>{@code ascii}: accents and ligatures removed ({@code José} to {@code Jose}, {@code Straße} to
 *       {@code Strasse}, {@code Müller} to {@code Muller}), other scripts kept;</li>
 *   <li>{@code letters}: only letters, digits and single spaces (punctuation dropped);</li>
 *   <li>{@code digits}: only digits (phone numbers); {@code last10}: the last 10 digits (drops country
 *       codes);</li>
 *   <li>{@code nickname}: each word that is a known short form becomes its full name ({@code bob} to
 *       {@code robert}); give lower-case values;</li>
 *   <li>{@code date}: parsed with the column's {@code formats} (java.time patterns, tried in order) and
 *       written as ISO {@code yyyy-MM-dd}; a value no format reads becomes null.</li>
 * </ul>
 * Each rule writes {@code as} (default: the column itself). An empty result is null.
 */
public final class Standardize implements SparkPipe<Standardize.Params> {
  public static final List<String> STEPS = List.of("lower", "trim", "ascii", "letters", "digits", "last10", "nickname", "date");

  /** The steps for one column. */
  public record Rule(
      @Param(value = "The column to standardise", required = true) String column,
      @Param(value = "Steps in order: lower, trim, ascii, letters, digits, last10, nickname, date", required = true) List<String> steps,
      @Param("The output column (default: the column itself)") String as,
      @Param("For the date step: java.time patterns tried in order, e.g. [\"yyyy-MM-dd\", \"dd/MM/yyyy\"]") List<String> formats) {
    public Rule {
      if (column == null || steps == null || steps.isEmpty()) {
        throw new IllegalArgumentException("each rule needs \"column\" and \"steps\"");
      }
      steps = List.copyOf(steps);
      formats = formats == null ? List.of("yyyy-MM-dd") : List.copyOf(formats);
      for (String s : steps) {
        if (!STEPS.contains(s)) {
          throw new IllegalArgumentException("unknown step '" + s + "' for column '" + column + "'; use " + String.join(", ", STEPS));
        }
      }
      for (String f : formats) {
        try {
          DateTimeFormatter.ofPattern(f, Locale.ROOT);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("column '" + column + "': date format '" + f + "' is not a java.time pattern: " + e.getMessage());
        }
      }
    }
  }

  public record Params(@Param(value = "One rule per column", required = true) List<Rule> rules) {
    public Params {
      if (rules == null || rules.isEmpty()) {
        throw new IllegalArgumentException("give at least one rule in \"rules\"");
      }
      rules = List.copyOf(rules);
    }
  }

  @Override
  public Optional<StructType> outputSchema(Map<String, StructType> inputs, Params p, SparkSession spark) {
    StructType out = inputs.values().iterator().next();
    for (Rule r : p.rules()) {
      if (!List.of(out.fieldNames()).contains(r.column())) {
        throw new io.ddp.core.pipe.InvalidParamsException(new io.ddp.core.pipe.ParamProblem("rules", "the input has no column '" + r.column() + "' (it has " + List.of(out.fieldNames()) + ")"), null);
      }
      String name = r.as() == null ? r.column() : r.as();
      if (List.of(out.fieldNames()).contains(name)) {
        StructType replaced = new StructType();
        for (var f : out.fields()) {
          replaced = f.name().equals(name) ? replaced.add(name, DataTypes.StringType, true) : replaced.add(f);
        }
        out = replaced;
      } else {
        out = out.add(name, DataTypes.StringType, true);
      }
    }
    return Optional.of(out);
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> out = inputs.only();
    for (Rule r : p.rules()) {
      List<String> steps = r.steps();
      List<String> formats = r.formats();
      out = out.withColumn(r.as() == null ? r.column() : r.as(),
          udf((UDF1<String, String>) v -> standardize(v, steps, formats), DataTypes.StringType).apply(col(r.column()).cast("string")));
    }
    return out;
  }

  /** The value after the steps; null when it is null or ends empty. */
  static String standardize(String value, List<String> steps, List<String> formats) {
    String v = value;
    for (String step : steps) {
      if (v == null) {
        return null;
      }
      v = switch (step) {
        case "lower" -> v.toLowerCase(Locale.ROOT);
        case "trim" -> v.trim().replaceAll("\\s+", " ");
        case "ascii" -> ascii(v);
        case "letters" -> v.replaceAll("[^\\p{L}\\p{Nd} ]+", " ").trim().replaceAll("\\s+", " ");
        case "digits" -> v.replaceAll("[^0-9]", "");
        case "last10" -> v.length() > 10 ? v.substring(v.length() - 10) : v;
        case "nickname" -> nicknames(v);
        case "date" -> date(v.trim(), formats);
        default -> throw new IllegalArgumentException("unknown step " + step);
      };
    }
    return v == null || v.isEmpty() ? null : v;
  }

  static String ascii(String v) {
    String s = v.replace("ß", "ss").replace("Æ", "AE").replace("æ", "ae").replace("Œ", "OE").replace("œ", "oe")
        .replace("Ø", "O").replace("ø", "o").replace("Ł", "L").replace("ł", "l").replace("Đ", "D").replace("đ", "d")
        .replace("Þ", "Th").replace("þ", "th");
    return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
  }

  static String nicknames(String v) {
    String[] words = v.split(" ");
    for (int i = 0; i < words.length; i++) {
      words[i] = Nicknames.FULL.getOrDefault(words[i], words[i]);
    }
    return String.join(" ", words);
  }

  static String date(String v, List<String> formats) {
    for (String f : formats) {
      try {
        return LocalDate.parse(v, DateTimeFormatter.ofPattern(f, Locale.ROOT)).toString();
      } catch (DateTimeParseException e) {
        // next format
      }
    }
    return null;
  }

  static List<String> steps(String... s) {
    return new ArrayList<>(List.of(s));
  }
}
