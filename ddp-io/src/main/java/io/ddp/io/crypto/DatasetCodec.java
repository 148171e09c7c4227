package io.ddp.io.crypto;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/** {@code "mode": "dataset"}: Parquet modular encryption through reader and writer options ({@link DatasetEncryption}). */
final class DatasetCodec implements EncryptionCodec {
  static final DatasetCodec INSTANCE = new DatasetCodec();

  private DatasetCodec() {}

  @Override
  public void check(DataDeclare d, StructType declared, boolean storeEncrypts, String at, Problems problems) {
    EncryptionDeclare e = d.encryption();
    String subject = Subjects.dataset(d.dataId());
    if (d.format() == null || !"parquet".equalsIgnoreCase(d.format())) {
      problems.error(at, subject, "mode dataset is Parquet modular encryption; declare \"format\": \"parquet\" or use mode"
          + " \"record\" for format " + d.format());
    }
    Map<String, String> keyOf = new LinkedHashMap<>();
    List<String> declaredColumns = declared == null ? null : List.of(declared.fieldNames());
    for (Map.Entry<String, List<String>> k : e.columnKeys().entrySet()) {
      for (String c : k.getValue()) {
        String other = keyOf.putIfAbsent(c, k.getKey());
        if (other != null) {
          problems.error(at + "/columnKeys", subject, "column '" + c + "' is listed under two keys, '" + other + "' and '" + k.getKey()
              + "'; each column has one key");
        }
        String top = c.contains(".") ? c.substring(0, c.indexOf('.')) : c;
        if (declaredColumns != null && !declaredColumns.contains(top)) {
          problems.error(at + "/columnKeys", subject, "column '" + c + "' under key '" + k.getKey() + "' is not in the declared schema"
              + Suggestions.didYouMean(c, declaredColumns) + "; columns: " + declaredColumns);
        }
      }
    }
    if (!d.partitionBy().isEmpty()) {
      problems.warning(at, subject, "partition columns " + d.partitionBy() + " are stored in directory names, which Parquet does"
          + " not encrypt; their values are visible to anyone who can list the location");
    }
  }

  @Override
  public Map<String, String> readOptions(KeyServices.Config keys) {
    return DatasetEncryption.readOptions(keys);
  }

  @Override
  public Map<String, String> writeOptions(EncryptionDeclare encryption, KeyServices.Config keys) {
    return DatasetEncryption.writeOptions(encryption, keys);
  }
}
