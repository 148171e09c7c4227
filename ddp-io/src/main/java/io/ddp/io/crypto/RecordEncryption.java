package io.ddp.io.crypto;

import static org.apache.spark.sql.functions.col;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * {@code "encryption": {"mode": "record", ...}} on Spark: before a write, each listed column becomes a
 * STRING holding its value encrypted under the key whose id is in the record's {@code keyIdColumn}
 * (see {@link RecordCipher}); after a read, the values are decrypted and converted back to their
 * declared types. Nulls stay null. Pipes only ever see plaintext.
 */
public final class RecordEncryption {
  private RecordEncryption() {}

  /** The dataset's columns as stored, from its {@code declared} schema: the encrypted ones are STRING. */
  public static StructType stored(DataDeclare data, StructType declared) {
    StructType out = new StructType();
    for (StructField f : declared.fields()) {
      out = out.add(data.encryption().columns().contains(f.name()) ? new StructField(f.name(), DataTypes.StringType, f.nullable(),
          f.metadata()) : f);
    }
    return out;
  }

  /** The rows with their listed columns encrypted. */
  public static Dataset<Row> encrypt(Dataset<Row> rows, DataDeclare data, KeyServices.Config service) {
    EncryptionDeclare e = data.encryption();
    requireColumns(rows.schema(), data, "write");
    String dataId = data.dataId();
    String keyColumn = e.keyIdColumn();
    Dataset<Row> out = rows;
    for (String column : e.columns()) {
      UDF2<String, String, String> seal = (keyId, text) -> {
        if (text == null) {
          return null;
        }
        if (keyId == null || keyId.isEmpty()) {
          throw new DdpException("Cannot encrypt column '" + column + "' of dataset '" + dataId + "': a record has no key id in column '"
              + keyColumn + "'; every record with a value in '" + column + "' needs one");
        }
        try {
          return RecordCipher.encrypt(service, column, keyId, text);
        } catch (KeyServiceException k) {
          throw new DdpException("Cannot encrypt column '" + column + "' of dataset '" + dataId + "' with key id '" + keyId + "': "
              + k.getMessage(), k);
        }
      };
      UserDefinedFunction udf = functions.udf(seal, DataTypes.StringType).asNondeterministic();
      DataType type = rows.schema().apply(column).dataType();
      out = out.withColumn(column, udf.apply(col(keyColumn).cast("string"), text(col(column), type)));
    }
    return out;
  }

  /**
   * The rows with their listed columns decrypted into their {@code declared} types (STRING when the
   * dataset declares no schema: {@code declared} null).
   */
  public static Dataset<Row> decrypt(Dataset<Row> rows, DataDeclare data, StructType declared, KeyServices.Config service) {
    EncryptionDeclare e = data.encryption();
    requireColumns(rows.schema(), data, "read");
    String dataId = data.dataId();
    String keyColumn = e.keyIdColumn();
    Dataset<Row> out = rows;
    for (String column : e.columns()) {
      UDF2<String, String, String> open = (keyId, value) -> {
        if (value == null) {
          return null;
        }
        String what = "Cannot decrypt column '" + column + "' of dataset '" + dataId + "' with key id '" + keyId + "': ";
        if (keyId == null || keyId.isEmpty()) {
          throw new DdpException("Cannot decrypt column '" + column + "' of dataset '" + dataId + "': a record has no key id in column '"
              + keyColumn + "' (was it altered?)");
        }
        try {
          return RecordCipher.decrypt(service, column, keyId, value);
        } catch (RecordCipher.RecordCipherException c) {
          throw new DdpException(what + "the value " + c.getMessage() + "; DDP does not return it as data");
        } catch (KeyServiceException k) {
          throw new DdpException(what + k.getMessage(), k);
        }
      };
      UserDefinedFunction udf = functions.udf(open, DataTypes.StringType);
      Column plain = udf.apply(col(keyColumn).cast("string"), col(column).cast("string"));
      DataType type = declared == null || !java.util.Arrays.asList(declared.fieldNames()).contains(column) ? DataTypes.StringType
          : declared.apply(column).dataType();
      out = out.withColumn(column, typed(plain, type));
    }
    return out;
  }

  private static void requireColumns(StructType schema, DataDeclare data, String action) {
    java.util.List<String> names = java.util.Arrays.asList(schema.fieldNames());
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (String c : data.encryption().columns()) {
      if (!names.contains(c)) {
        missing.add(c);
      }
    }
    if (!names.contains(data.encryption().keyIdColumn())) {
      missing.add(data.encryption().keyIdColumn() + " (the key id column)");
    }
    if (!missing.isEmpty()) {
      throw new DdpException("Cannot " + action + " dataset '" + data.dataId() + "' with record encryption: it has no column "
          + String.join(", ", missing) + "; its columns are " + String.join(", ", names));
    }
  }

  /**
   * A value as text, losslessly: JSON for nested types, base64 for binary, microseconds since the
   * epoch for timestamps (as local text, an instant in the hour a daylight-saving change repeats
   * could not be told from the one an hour away), Spark's cast otherwise.
   */
  private static Column text(Column c, DataType type) {
    if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) {
      return functions.to_json(c);
    }
    if (type instanceof TimestampType) {
      return functions.unix_micros(c).cast("string");
    }
    if (type instanceof BinaryType) {
      return functions.base64(c);
    }
    return c.cast("string");
  }

  private static Column typed(Column text, DataType type) {
    if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) {
      return functions.from_json(text, type, java.util.Map.of());
    }
    if (type instanceof BinaryType) {
      return functions.unbase64(text);
    }
    if (type instanceof TimestampType) {
      // Values written before timestamps were stored as microseconds are local text: still read.
      return functions.when(text.rlike("^-?[0-9]+$"), functions.timestamp_micros(text.cast("long"))).otherwise(text.cast(type));
    }
    return type.equals(DataTypes.StringType) ? text : text.cast(type);
  }
}
