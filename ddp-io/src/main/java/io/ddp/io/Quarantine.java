package io.ddp.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.model.DataDeclare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a csv or json source so that no malformed row is lost: Spark parses permissively into the
 * declared schema plus a column holding the raw text of rows that do not parse; those rows are
 * written, with the reason and the file, to the source's quarantine dataset, and counted. Good plus
 * quarantined rows equal the rows in the input.
 */
final class Quarantine {
  static final String RAW = "_corrupt_record";
  private static final String FILE = "_ddp_file";
  private static final Set<String> CSV_PARSE_OPTIONS = Set.of("sep", "delimiter", "quote", "escape", "comment", "encoding",
      "ignoreLeadingWhiteSpace", "ignoreTrailingWhiteSpace", "nullValue", "emptyValue", "lineSep", "locale");

  private Quarantine() {}

  static Dataset<Row> read(SparkSession spark, DataDeclare data, String format, Map<String, String> options, DeclaredIO io,
      ReadContext context) {
    StructType declared = Schemas.parse(data.schema());
    String raw = options.getOrDefault("columnNameOfCorruptRecord", RAW);
    Map<String, String> opts = new LinkedHashMap<>(options);
    opts.put("mode", "PERMISSIVE");
    opts.put("columnNameOfCorruptRecord", raw);
    Dataset<Row> parsed = spark.read().format(format).options(opts).schema(declared.add(raw, DataTypes.StringType))
        .load(data.location());
    // Whether Spark flags a row as bad depends on which columns the scan converts (it prunes the ones
    // a query does not use), so every query here references all declared columns: the counts, the
    // quarantined rows and the good rows then agree, and Spark accepts the raw-record column (it
    // refuses scans that would need only that column). The file is parsed once for the counts and
    // again by the run: cheaper than keeping a parsed copy in memory.
    Column allColumns = referencesAll(declared);
    Row counts = parsed.filter(allColumns).agg(functions.count(lit(1)), functions.count(col(raw))).first();
    long total = counts.getLong(0);
    long bad = counts.getLong(1);
    String location = null;
    if (bad > 0) {
      DataDeclare target = target(data, context);
      location = target.location();
      Dataset<Row> rejected = parsed.select(col("*"), col("_metadata.file_path").as(FILE)).filter(col(raw).isNotNull().and(allColumns))
          .select(col(raw).as("record"), reason(declared, raw, format, options).as("reason"), lit(data.dataId()).as("dataId"),
              col(FILE).as("file"));
      context.writeQuarantine(target, t -> io.write(rejected, t));
    }
    context.quarantined(data.dataId(), total - bad, bad, location);
    if (bad == 0) {
      // Nothing to set aside: the run reads the source plainly (Spark may then parse only the columns
      // pipes use), and a malformed row that appears after the count fails the run instead of being lost.
      Map<String, String> plain = new LinkedHashMap<>(options);
      plain.put("mode", "FAILFAST");
      plain.remove("columnNameOfCorruptRecord");
      return spark.read().format(format).options(plain).schema(declared).load(data.location());
    }
    return parsed.filter(col(raw).isNull().and(allColumns)).drop(raw);
  }

  /** A condition that is always true but that Spark cannot fold away, and that uses every declared column. */
  static Column referencesAll(StructType declared) {
    Column all = lit(true);
    for (StructField f : declared.fields()) {
      all = all.and(functions.length(coalesce(col(f.name()).cast("string"), lit(""))).geq(0));
    }
    return all;
  }

  /** The declared quarantine dataset, or JSON lines beside the source, replaced on every read. */
  static DataDeclare target(DataDeclare source, ReadContext context) {
    return QuarantineTarget.of(source, context::declared);
  }

  /** Why a raw record did not parse: the first column whose text is not of its type, else the shape. */
  static Column reason(StructType declared, String raw, String format, Map<String, String> options) {
    StructType strings = new StructType();
    for (StructField f : declared.fields()) {
      strings = strings.add(f.name(), DataTypes.StringType);
    }
    Map<String, String> parseOptions = new LinkedHashMap<>();
    options.forEach((k, v) -> {
      if (CSV_PARSE_OPTIONS.contains(k)) {
        parseOptions.put(k, v);
      }
    });
    Column fields = "csv".equals(format) ? from_csv(col(raw), lit(strings.toDDL()), parseOptions)
        : from_json(col(raw), strings, parseOptions);
    List<Column> reasons = new ArrayList<>();
    for (StructField f : declared.fields()) {
      if (f.dataType().equals(DataTypes.StringType)) {
        continue;
      }
      Column text = fields.getField(f.name());
      reasons.add(when(text.isNotNull().and(text.try_cast(f.dataType()).isNull()),
          concat(lit("column " + f.name() + ": '"), text, lit("' is not " + f.dataType().sql()))));
    }
    reasons.add(lit("csv".equals(format) ? "the line does not split into the declared " + declared.size() + " fields"
        : "not a JSON object matching the declared schema"));
    return coalesce(reasons.toArray(new Column[0]));
  }
}
