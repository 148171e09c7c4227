package io.ddp.io.crypto;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** {@code "mode": "record"}: listed columns encrypted per record under the key its key id column names ({@link RecordEncryption}). */
final class RecordCodec implements EncryptionCodec {
  static final RecordCodec INSTANCE = new RecordCodec();

  private RecordCodec() {}

  @Override
  public void check(DataDeclare d, StructType declared, boolean storeEncrypts, String at, Problems problems) {
    EncryptionDeclare e = d.encryption();
    String subject = Subjects.dataset(d.dataId());
    if ("text".equalsIgnoreCase(d.format())) {
      problems.error(at, subject, "mode record needs a key id column next to the encrypted ones; the text format has one column");
    }
    for (String c : d.partitionBy()) {
      if (e.columns().contains(c)) {
        problems.error(at + "/columns", subject, "column '" + c + "' is both encrypted and a partition column; partition values"
            + " become directory names, so remove it from \"partitionBy\" or from the encrypted columns");
      }
    }
    // A missing keyIdColumn is reported by the reader; List.contains(null) would throw.
    if (e.keyIdColumn() != null && e.columns().contains(e.keyIdColumn())) {
      problems.error(at + "/columns", subject, "the key id column '" + e.keyIdColumn() + "' cannot itself be encrypted: readers need it"
          + " to find the key");
    }
    if (d.schema() == null) {
      problems.warning(at, subject, "without a declared \"schema\", encrypted columns are read back as STRING; declare the schema"
          + " to get their types back");
    } else if (declared != null) {
      List<String> names = List.of(declared.fieldNames());
      for (String c : e.columns()) {
        if (!names.contains(c)) {
          problems.error(at + "/columns", subject, "encrypted column '" + c + "' is not in the declared schema"
              + Suggestions.didYouMean(c, names) + "; columns: " + names);
        }
      }
      if (e.keyIdColumn() != null && !names.contains(e.keyIdColumn())) {
        problems.error(at + "/keyIdColumn", subject, "key id column '" + e.keyIdColumn() + "' is not in the declared schema"
            + Suggestions.didYouMean(e.keyIdColumn(), names) + "; columns: " + names);
      }
    }
  }

  @Override
  public StructType storedSchema(DataDeclare data, StructType declared) {
    return declared == null ? null : RecordEncryption.stored(data, declared);
  }

  @Override
  public Dataset<Row> afterRead(Dataset<Row> rows, DataDeclare data, StructType declared, KeyServices.Config keys) {
    return RecordEncryption.decrypt(rows, data, declared, keys);
  }

  @Override
  public Dataset<Row> beforeWrite(Dataset<Row> rows, DataDeclare data, KeyServices.Config keys) {
    return RecordEncryption.encrypt(rows, data, keys);
  }
}
