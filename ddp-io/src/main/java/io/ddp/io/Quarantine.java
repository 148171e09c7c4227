package io.ddp.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
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
import org.apache.spark.storage.StorageLevel;

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
        .load(data.location())
        .select(col("*"), col("_metadata.file_path").as(FILE))
        // Kept once: Spark cannot query the raw-record column of an unparsed file on its own, and the
        // good rows, the bad rows and their counts all come from this one parse.
        .persist(StorageLevel.MEMORY_AND_DISK());
    context.onCleanup(() -> parsed.unpersist(false));
    // The first count fills the cache (Spark refuses to query only the raw column of an unread file);
    // the second reads the cache.
    long total = parsed.count();
    long bad = parsed.filter(col(raw).isNotNull()).count();
    String location = null;
    if (bad > 0) {
      DataDeclare target = target(data, context);
      location = target.location();
      Dataset<Row> rejected = parsed.filter(col(raw).isNotNull())
          .select(col(raw).as("record"), reason(declared, raw, format, options).as("reason"), lit(data.dataId()).as("dataId"),
              col(FILE).as("file"));
      io.write(rejected, target);
    }
    context.quarantined(data.dataId(), total - bad, bad, location);
    // Also reference a declared column, with a condition that is always true but that Spark cannot
    // fold away: if the cache is gone by the time a query reads these rows (e.g. a test inspecting a
    // captured output after the run), Spark re-reads the file, and it refuses scans that would need
    // only the raw-record column.
    Column alwaysTrue = functions.length(functions.coalesce(col(declared.fields()[0].name()).cast("string"), lit(""))).geq(0);
    return parsed.filter(col(raw).isNull().and(alwaysTrue)).drop(raw, FILE);
  }

  /** The declared quarantine dataset, or JSON lines beside the source, replaced on every read. */
  static DataDeclare target(DataDeclare source, ReadContext context) {
    if (source.quarantine() != null) {
      return context.declared(source.quarantine()).orElseThrow(() -> new io.ddp.core.exceptions.DdpException(
          "Cannot quarantine bad records of '" + source.dataId() + "': dataset '" + source.quarantine() + "' is not declared"));
    }
    String base = source.location().replaceAll("/+$", "");
    return DataDeclare.builder(source.dataId() + "_quarantine").location(base + "_quarantine").format("json")
        .mode(WriteMode.OVERWRITE).build();
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
