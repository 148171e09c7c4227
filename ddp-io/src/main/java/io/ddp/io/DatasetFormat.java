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

  /**
   * Writes as {@link #write(Dataset, DataDeclare, String, Map)} does, for a format that commits by
   * itself ({@link #writesFiles()} false), recording {@code commitTag} (the run and the dataset) in its
   * commit when it can, so that {@link #committed} finds it later; null when the write has no tag.
   */
  default void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options, String commitTag) {
    write(rows, data, path, options);
  }

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

  /**
   * Whether the format can write {@code "mode": "merge"}: fold rows into existing data by the
   * declared key columns ({@link io.ddp.core.model.MergeDeclare}).
   */
  default boolean merges() {
    return false;
  }

  /**
   * Whether the format keeps a schema of its own that a write can evolve ({@code "schemaPolicy":
   * "evolve"}): table formats.
   */
  default boolean evolvesSchema() {
    return false;
  }

  /**
   * Spark settings the session needs before it is created for this format to work (SQL extensions,
   * the session catalog); {@code ddp run} and the test session apply them. Values of
   * {@code spark.sql.extensions} are joined with the user's.
   */
  default Map<String, String> sessionConf() {
    return Map.of();
  }

  /**
   * For a format that does not {@link #writesFiles() write files} DDP stages: the files a write tagged
   * {@code commitTag} added, when the format records its commits ({@code --resume} then neither repeats
   * that write nor reads more than it added); empty when no such commit is there, or the format cannot tell.
   */
  default java.util.Optional<java.util.List<String>> committed(DataDeclare data, org.apache.hadoop.conf.Configuration conf,
      String commitTag) {
    return java.util.Optional.empty();
  }

  /**
   * Whether the dataset's location is a file system path that must exist before it is read (checked
   * before the run starts); false for a database URL, a table name in a catalog, a name in memory.
   */
  default boolean locationIsPath(DataDeclare data) {
    return true;
  }
}
