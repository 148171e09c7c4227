package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.validate.Problems;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A data format, named in a dataset's {@code "format"}. Implement it and list the class in
 * {@code META-INF/services/io.ddp.io.DatasetFormat} to add a format without touching DDP.
 *
 * <pre>{@code
 * public final class FixedWidthFormat implements DatasetFormat {
 *   public Set<String> names() { return Set.of("fixedwidth"); }
 *   public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) { ... }
 *   public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) { ... }
 * }
 * }</pre>
 */
public interface DatasetFormat {
  /** The lower-case names that select this format, e.g. {@code csv}. */
  Set<String> names();

  /**
   * Reads the dataset. When {@code data.schema()} is declared it is the reader schema: no inference.
   *
   * @param options the declared options, without those a store consumed (e.g. {@code s3.*})
   */
  Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options);

  /**
   * Writes the rows. For a format that {@link #writesFiles() writes files}, {@code path} is a fresh
   * staging directory that DDP moves to the declared location once the write succeeded; otherwise it
   * is the declared location and the format applies {@code data.mode()} itself.
   */
  void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options);

  /** Whether the format writes files under a directory, so that DDP can stage and commit atomically. */
  default boolean writesFiles() {
    return true;
  }

  /**
   * Whether the format parses text into rows (csv, json), so that a row can be malformed: DDP then
   * gives the reader the declared schema and handles malformed rows as {@code badRecords} says
   * (quarantine or fail). Self-describing formats (parquet, orc, avro) answer false.
   */
  default boolean parsesText() {
    return false;
  }

  /**
   * The schema of existing data at the dataset's location, read from the files' own metadata (a
   * Parquet footer) without reading rows or starting a job; empty when the format cannot tell, or
   * there is nothing there yet. DDP uses it before a run for sources that declare no schema.
   */
  default java.util.Optional<org.apache.spark.sql.types.StructType> storedSchema(DataDeclare data,
      org.apache.hadoop.conf.Configuration conf) {
    return java.util.Optional.empty();
  }

  /**
   * Static checks of a declaration in this format, reported before anything runs (required options,
   * unsupported modes). Report into {@code problems} under {@code pointer}; never throw.
   */
  default void check(DataDeclare data, String pointer, Problems problems) {}
}
