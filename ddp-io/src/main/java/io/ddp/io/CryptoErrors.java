package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.io.crypto.KeyServiceException;
import java.util.Optional;
import org.apache.parquet.crypto.ParquetCryptoRuntimeException;
import org.apache.parquet.crypto.TagVerificationException;

/** The reason behind a failed read or write of encrypted data, found in Spark's chain of causes. */
final class CryptoErrors {
  private CryptoErrors() {}

  static Optional<String> reason(Throwable error, DataDeclare data) {
    KeyServiceException keys = find(error, KeyServiceException.class);
    if (keys != null) {
      return Optional.of(keys.getMessage());
    }
    for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof DdpException && t.getMessage() != null
          && (t.getMessage().startsWith("Cannot encrypt") || t.getMessage().startsWith("Cannot decrypt"))) {
        return Optional.of(t.getMessage());
      }
    }
    TagVerificationException tampered = find(error, TagVerificationException.class);
    if (tampered != null) {
      return Optional.of("a file was altered or is corrupt (Parquet decryption: " + tampered.getMessage() + "); DDP returns no data from"
          + " it. Restore the file or write the dataset again");
    }
    ParquetCryptoRuntimeException parquet = find(error, ParquetCryptoRuntimeException.class);
    if (parquet != null) {
      String m = String.valueOf(parquet.getMessage());
      if (m.contains("No keys available") || m.contains("Null File Decryptor")) {
        return Optional.of("its Parquet files are encrypted and no key was given"
            + (data.encryption() == null ? ": declare its \"encryption\", e.g. {\"mode\": \"dataset\", \"keyService\": \"kms\","
                + " \"footerKeyId\": \"...\"}, with the key service that holds its keys" : ""));
      }
      return Optional.of("Parquet modular encryption failed: " + m);
    }
    return Optional.empty();
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
