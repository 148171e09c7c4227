package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of the data a file source holds, from metadata only (no row read): the first data file's
 * footer (Parquet: the schema Spark stored; ORC: the file's type description; Avro: the writer schema
 * in the file header), then the partition columns of a {@code col=value/} layout, typed from their
 * values as Spark infers them (integer, long, decimal, double, date, timestamp, else string).
 * Empty whenever the metadata does not settle what Spark would read.
 */
final class StoredSchemas {
  private static final String SPARK_PARQUET_SCHEMA = "org.apache.spark.sql.parquet.row.metadata";
  private static final String HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";
  private static final Pattern INTEGRAL = Pattern.compile("-?\\d+");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");

  private StoredSchemas() {}

  static Optional<StructType> of(String format, DataDeclare data, Configuration conf) {
    if (!List.of("parquet", "orc", "avro").contains(format) || data.encryption() != null || !data.hasLocation()
        || "true".equalsIgnoreCase(data.options().get("mergeSchema"))) {
      return Optional.empty(); // merged schemas come from every file, not from one footer
    }
    Path root = new Path(data.location());
    // A file system of its own: the cached one of this bucket is made, later, with every dataset's settings.
    try (FileSystem fs = FileSystem.newInstance(root.toUri(), conf)) {
      if (!fs.exists(root)) {
        return Optional.empty();
      }
      Map<String, List<String>> partitions = new LinkedHashMap<>();
      Path file = fs.getFileStatus(root).isFile() ? root : firstFile(fs, root, partitions, 0);
      if (file == null) {
        return Optional.empty();
      }
      Optional<StructType> stored = footer(format, fs, file, conf);
      if (stored.isEmpty() || partitions.isEmpty()) {
        return stored;
      }
      StructType schema = stored.get();
      for (Map.Entry<String, List<String>> p : partitions.entrySet()) {
        if (schema.getFieldIndex(p.getKey()).isDefined()) {
          return Optional.empty(); // a column both in the files and in the directories: let Spark decide
        }
        schema = schema.add(p.getKey(), partitionType(p.getValue()), true);
      }
      return Optional.of(schema);
    } catch (Exception | LinkageError e) {
      return Optional.empty(); // unreadable now; the run reports what it finds
    }
  }

  /**
   * The first data file under {@code dir}, walking {@code col=value} directories; every partition
   * directory's value is collected by column. Null when the layout is not one Spark reads as partitions.
   */
  private static Path firstFile(FileSystem fs, Path dir, Map<String, List<String>> partitions, int depth) throws IOException {
    Path first = null;
    String column = null;
    for (FileStatus f : fs.listStatus(dir)) {
      String n = f.getPath().getName();
      if (n.startsWith("_") || n.startsWith(".")) {
        continue;
      }
      if (f.isDirectory()) {
        int eq = n.indexOf('=');
        if (eq <= 0 || (column != null && !column.equals(n.substring(0, eq)))) {
          return null; // not a partition directory, or mixed columns at one level: Spark would refuse or guess
        }
        column = n.substring(0, eq);
        String value = unescape(n.substring(eq + 1));
        List<String> values = partitions.computeIfAbsent(column, k -> new ArrayList<>());
        if (partitions.keySet().stream().toList().indexOf(column) != depth) {
          return null; // the same column at another depth
        }
        values.add(value);
        Path inner = firstFile(fs, f.getPath(), partitions, depth + 1);
        if (inner == null && first == null) {
          return null;
        }
        first = first == null ? inner : first;
      } else if (column == null && first == null) {
        first = f.getPath();
      }
    }
    return first;
  }

  /** Spark escapes special characters of partition values as %XX. */
  private static String unescape(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length()) {
        try {
          sb.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
          i += 2;
          continue;
        } catch (NumberFormatException e) {
          // not an escape
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The type Spark's partition inference gives these values (all of them must fit it). */
  static DataType partitionType(List<String> values) {
    List<String> present = values.stream().filter(v -> !HIVE_NULL.equals(v)).toList();
    if (present.isEmpty()) {
      return DataTypes.StringType;
    }
    if (present.stream().allMatch(v -> INTEGRAL.matcher(v).matches())) {
      boolean ints = present.stream().allMatch(v -> {
        try {
          Integer.parseInt(v);
          return true;
        } catch (NumberFormatException e) {
          return false;
        }
      });
      if (ints) {
        return DataTypes.IntegerType;
      }
      boolean longs = present.stream().allMatch(v -> {
        try {
          Long.parseLong(v);
          return true;
        } catch (NumberFormatException e) {
          return false;
        }
      });
      return longs ? DataTypes.LongType : DataTypes.createDecimalType(Math.min(38,
          present.stream().mapToInt(v -> v.replace("-", "").length()).max().orElse(38)), 0);
    }
    if (present.stream().allMatch(StoredSchemas::isDouble)) {
      return DataTypes.DoubleType;
    }
    if (present.stream().allMatch(v -> DATE.matcher(v).matches())) {
      return DataTypes.DateType;
    }
    if (present.stream().allMatch(v -> TIMESTAMP.matcher(v).matches())) {
      return DataTypes.TimestampType;
    }
    return DataTypes.StringType;
  }

  private static boolean isDouble(String v) {
    try {
      Double.parseDouble(v);
      return !v.toLowerCase(Locale.ROOT).matches(".*[a-z].*") || v.toLowerCase(Locale.ROOT).matches("-?\\d*\\.?\\d+e-?\\d+");
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Optional<StructType> footer(String format, FileSystem fs, Path file, Configuration conf) throws IOException {
    switch (format) {
      case "parquet":
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(file, conf))) {
          String json = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SPARK_PARQUET_SCHEMA);
          return json == null ? Optional.empty() : Optional.of((StructType) Schemas.nullable(DataType.fromJson(json)));
        }
      case "orc":
        try (org.apache.orc.Reader reader = org.apache.orc.OrcFile.createReader(file,
            org.apache.orc.OrcFile.readerOptions(conf).filesystem(fs))) {
          StructType schema = org.apache.spark.sql.execution.datasources.orc.OrcUtils.toCatalystSchema(reader.getSchema());
          return Optional.of((StructType) Schemas.nullable(schema));
        }
      case "avro":
        try (org.apache.avro.file.DataFileStream<Object> stream = new org.apache.avro.file.DataFileStream<>(fs.open(file),
            new org.apache.avro.generic.GenericDatumReader<>())) {
          DataType type = org.apache.spark.sql.avro.SchemaConverters.toSqlType(stream.getSchema()).dataType();
          return type instanceof StructType ? Optional.of((StructType) Schemas.nullable(type)) : Optional.empty();
        }
      default:
        return Optional.empty();
    }
  }
}
