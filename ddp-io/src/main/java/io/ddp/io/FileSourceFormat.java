package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.validate.Problems;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's file data sources: parquet, csv, json (JSON lines; {@code multiLine} for documents), orc,
 * avro and text. Options go to Spark's reader and writer unchanged (e.g. {@code header},
 * {@code compression}, {@code maxRecordsPerFile}).
 */
public class FileSourceFormat implements DatasetFormat {
  private final String name;

  public FileSourceFormat(String name) {
    this.name = name;
  }

  @Override
  public Set<String> names() {
    return Set.of(name);
  }

  /** Spark's own schema, which it keeps in every Parquet file it writes. */
  private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  /**
   * For Parquet written by Spark (unencrypted, not partitioned into directories): the schema Spark
   * stored in the first data file's footer, every column nullable as Spark reads it. Other formats, other writers, and partitioned layouts
   * (whose partition columns' types Spark infers from the directory names) say nothing.
   */
  @Override
  public java.util.Optional<StructType> storedSchema(DataDeclare data, org.apache.hadoop.conf.Configuration conf) {
    if (!"parquet".equals(name) || data.encryption() != null || !data.hasLocation()
        || "true".equalsIgnoreCase(data.options().get("mergeSchema"))) {
      return java.util.Optional.empty(); // merged schemas come from every file, not from one footer
    }
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(data.location());
    // A file system of its own: the cached one of this bucket is made, later, with every dataset's settings.
    try (org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.newInstance(root.toUri(), conf)) {
      if (!fs.exists(root)) {
        return java.util.Optional.empty();
      }
      org.apache.hadoop.fs.Path file = null;
      if (fs.getFileStatus(root).isFile()) {
        file = root;
      } else {
        for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(root)) {
          String n = f.getPath().getName();
          if (n.startsWith("_") || n.startsWith(".")) {
            continue;
          }
          if (f.isDirectory()) {
            return java.util.Optional.empty(); // partitioned, or nested: Spark infers more than the footer says
          }
          if (file == null) {
            file = f.getPath();
          }
        }
      }
      if (file == null) {
        return java.util.Optional.empty();
      }
      try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
          org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(file, conf))) {
        String json = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SPARK_SCHEMA_KEY);
        return json == null ? java.util.Optional.empty()
            : java.util.Optional.of((StructType) Schemas.nullable(org.apache.spark.sql.types.DataType.fromJson(json)));
      }
    } catch (Exception | LinkageError e) {
      return java.util.Optional.empty(); // unreadable now; the run reports what it finds
    }
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) {
    DataFrameReader reader = spark.read().format(name).options(options);
    if (data.schema() != null && parsesText()) {
      reader = reader.schema(Schemas.parse(data.schema()));
    }
    return reader.load(data.location());
  }

  /**
   * csv and json: they carry no schema (inferring one would need a pass over the data), so Spark's
   * reader gets the declared one. Self-describing formats (parquet, orc, avro) are read with their own
   * schema, which DDP then checks against the declaration.
   */
  @Override
  public boolean parsesText() {
    return "csv".equals(name) || "json".equals(name);
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) {
    DataFrameWriter<Row> writer = rows.write().format(name).mode(SaveMode.ErrorIfExists).options(options);
    if (!data.partitionBy().isEmpty()) {
      writer = writer.partitionBy(data.partitionBy().toArray(new String[0]));
    }
    writer.save(path);
  }

  @Override
  public void check(DataDeclare data, String pointer, Problems problems) {
    if (!data.hasLocation()) {
      return;
    }
    if ("text".equals(name) && data.schema() != null
        && !data.schema().replaceAll("\\s+", " ").trim().equalsIgnoreCase("value STRING")) {
      problems.warning(pointer + "/schema", "dataset '" + data.dataId() + "'", "the text format always has one column, value STRING;"
          + " this schema is not used to read it (write \"value STRING\" or remove it)");
    }
  }

  /** The built-in file formats. */
  static java.util.List<DatasetFormat> builtins() {
    return java.util.List.of(new FileSourceFormat("parquet"), new FileSourceFormat("csv"), new FileSourceFormat("json"),
        new FileSourceFormat("orc"), new FileSourceFormat("avro"), new FileSourceFormat("text"));
  }
}
