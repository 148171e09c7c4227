package io.ddp.spark.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Reads and writes declared datasets with Spark's built-in data sources (parquet, csv, json, orc,
 * text, and any other source on the class path) on local paths and Hadoop URIs.
 */
public final class FileFormatIO implements SparkDatasetIO {
  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data) {
    requireLocation(data, "read");
    DataFrameReader reader = spark.read().format(data.format()).options(data.options());
    if (data.schema() != null && !"text".equalsIgnoreCase(data.format())) {
      reader = reader.schema(Schemas.parse(data.schema()));
    }
    try {
      return reader.load(data.location());
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
      throw new DdpException("Cannot read dataset '" + data.dataId() + "' from " + data.location() + " as "
          + data.format() + ": " + Schemas.firstLine(e.getMessage()), e);
    }
  }

  /**
   * Writes atomically (see {@link AtomicCommit}): Spark writes a hidden sibling of the location, which
   * is moved into place per the declared mode only once the job succeeded.
   */
  @Override
  public boolean write(Dataset<Row> rows, DataDeclare data) {
    requireLocation(data, "write");
    DataFrameWriter<Row> writer = rows.write().format(data.format()).mode(SaveMode.ErrorIfExists).options(data.options());
    if (!data.partitionBy().isEmpty()) {
      writer = writer.partitionBy(data.partitionBy().toArray(new String[0]));
    }
    DataFrameWriter<Row> w = writer;
    return AtomicCommit.write(data, rows.sparkSession().sparkContext().hadoopConfiguration(), w::save);
  }

  private static void requireLocation(DataDeclare data, String what) {
    if (!data.hasLocation()) {
      throw new DdpException("Cannot " + what + " dataset '" + data.dataId() + "': it has no location; declare \"location\"");
    }
  }
}
