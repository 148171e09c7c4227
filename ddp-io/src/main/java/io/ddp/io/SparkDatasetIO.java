package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every read and write of a declared dataset goes through this one interface, so that pipes never
 * touch I/O and tests can swap sources and sinks for in-memory data.
 */
public interface SparkDatasetIO {
  /**
   * Reads a source as declared: location, format, options and, when declared, the schema (no
   * inference), reporting quarantined rows and what must be released later to {@code context}.
   */
  Dataset<Row> read(SparkSession spark, DataDeclare data, ReadContext context);

  /** Reads a source outside a run: nothing to release, nothing reported. */
  default Dataset<Row> read(SparkSession spark, DataDeclare data) {
    return read(spark, data, ReadContext.NONE);
  }

  /**
   * Writes a sink as declared: location, format, options, mode and partitioning.
   *
   * @return false when nothing was written because the mode is {@code ignore} and data exists
   */
  boolean write(Dataset<Row> rows, DataDeclare data);

  /**
   * Writes a sink as {@link #write(Dataset, DataDeclare)} does and, for a file format, records the
   * commit inside the location as a hidden marker named by {@code commitTag} (see
   * {@link CommitMarkers}): created with the data, in the same commit, so whoever finds the marker
   * knows the write was committed, and which files it added. DDP tags each sink's write with the
   * run and the dataset, so that {@code --resume} never repeats an append whose commit the run state
   * missed, and reads back exactly the rows the failed run appended.
   */
  default boolean write(Dataset<Row> rows, DataDeclare data, String commitTag) {
    return write(rows, data);
  }

  /**
   * Whether {@link #write(Dataset, DataDeclare, String, Runnable)} writes {@code data} aside first and
   * can run a check after every row is written and before anything is committed (true for file
   * formats, which DDP stages and commits itself).
   */
  default boolean stagesWrites(DataDeclare data) {
    return false;
  }

  /**
   * Writes as {@link #write(Dataset, DataDeclare, String)} does, running {@code beforeCommit} once the
   * rows are written: when {@link #stagesWrites} says so, before anything is committed, so that an
   * exception from it leaves the location as it was; otherwise after the write.
   */
  default boolean write(Dataset<Row> rows, DataDeclare data, String commitTag, Runnable beforeCommit) {
    boolean written = write(rows, data, commitTag);
    beforeCommit.run();
    return written;
  }

  /**
   * Called once before a run reads or writes anything, with every declared dataset: a chance to set
   * up what must be in place before the first file system is opened (store settings, encryption).
   */
  default void prepare(SparkSession spark, java.util.Collection<DataDeclare> data) {}

  /**
   * The schema of the data a source holds now, from the files' metadata, for a source that declares
   * none (see {@link DatasetFormat#storedSchema}); empty when it cannot be told without reading rows.
   */
  default java.util.Optional<org.apache.spark.sql.types.StructType> storedSchema(SparkSession spark, DataDeclare data) {
    return java.util.Optional.empty();
  }
}
