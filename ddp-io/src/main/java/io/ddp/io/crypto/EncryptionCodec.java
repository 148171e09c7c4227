package io.ddp.io.crypto;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.validate.Problems;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What one encryption mode does around a dataset's read and write, and what it needs of the dataset.
 * There is one codec per {@code "encryption": {"mode": ...}} ({@link #of}); the reader and writer
 * call every step, and a mode overrides the steps it takes part in.
 */
public interface EncryptionCodec {
  /** No encryption: every step passes its input through. */
  EncryptionCodec NONE = new EncryptionCodec() {};

  /** The codec of a dataset's encryption; {@link #NONE} when it declares none. */
  static EncryptionCodec of(EncryptionDeclare encryption) {
    if (encryption == null) {
      return NONE;
    }
    switch (encryption.mode()) {
      case SSE:
        return ServerSideCodec.INSTANCE;
      case DATASET:
        return DatasetCodec.INSTANCE;
      case RECORD:
        return RecordCodec.INSTANCE;
      default:
        throw new IllegalStateException("No codec for encryption mode " + encryption.mode());
    }
  }

  /**
   * Static checks, with the pipeline's other problems.
   *
   * @param declared the dataset's declared schema; null when it declares none or one that does not parse
   * @param storeEncrypts whether the store of the dataset's location does server-side encryption
   * @param at the JSON pointer of the dataset's {@code encryption}
   */
  default void check(DataDeclare data, StructType declared, boolean storeEncrypts, String at, Problems problems) {}

  /** The schema the files hold, to read them with; {@code declared} (null: none) unless the mode stores columns differently. */
  default StructType storedSchema(DataDeclare data, StructType declared) {
    return declared;
  }

  /** Reader options the mode adds (Parquet decryption properties, say). */
  default Map<String, String> readOptions(KeyServices.Config keys) {
    return Map.of();
  }

  /** The rows as pipes see them, from the rows as read. */
  default Dataset<Row> afterRead(Dataset<Row> rows, DataDeclare data, StructType declared, KeyServices.Config keys) {
    return rows;
  }

  /** The rows as they are stored, from the rows a pipe produced. */
  default Dataset<Row> beforeWrite(Dataset<Row> rows, DataDeclare data, KeyServices.Config keys) {
    return rows;
  }

  /** Writer options the mode adds. */
  default Map<String, String> writeOptions(EncryptionDeclare encryption, KeyServices.Config keys) {
    return Map.of();
  }
}
