package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Any Spark data source that no {@link DatasetFormat} claims, named by its short name or class name:
 * read with {@code spark.read().format(name)} and written by the source's own writer with the declared
 * mode. DDP does not stage or rename such writes (the source may not write files at all, or keep a
 * log of its own beside them), so a write is exactly as atomic as the source makes it.
 */
final class GenericSourceFormat implements DatasetFormat {
  private final String name;

  GenericSourceFormat(String name) {
    this.name = name;
  }

  @Override
  public Set<String> names() {
    return Set.of(name);
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) {
    DataFrameReader reader = spark.read().format(name).options(options);
    return data.hasLocation() ? reader.load(data.location()) : reader.load();
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) {
    DataFrameWriter<Row> writer = rows.write().format(name).mode(SaveModes.of(data.mode())).options(options);
    if (!data.partitionBy().isEmpty()) {
      writer = writer.partitionBy(data.partitionBy().toArray(new String[0]));
    }
    writer.save(path);
  }

  @Override
  public boolean writesFiles() {
    return false;
  }

}
