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

  /**
   * For Parquet (written by Spark), ORC and Avro: the schema in the first data file's metadata, plus the
   * partition columns of a {@code col=value/} layout ({@link StoredSchemas}); no row is read. Encrypted
   * data, merged schemas and layouts Spark would have to guess say nothing.
   */
  @Override
  public java.util.Optional<StructType> storedSchema(DataDeclare data, org.apache.hadoop.conf.Configuration conf) {
    return StoredSchemas.of(name, data, conf);
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
