package io.ddp.core.model;

import java.util.Locale;
import java.util.Optional;

/** The three security models a dataset can declare; see {@link EncryptionDeclare}. */
public enum EncryptionMode {
  /** Server-side encryption by the object store (S3 {@code AES256} or {@code SSE-KMS}). */
  SSE("sse"),
  /** Client-side encryption of the whole dataset with per-dataset keys (Parquet modular encryption). */
  DATASET("dataset"),
  /** Per-record keys: listed columns encrypted with the key named in another column of the record. */
  RECORD("record");

  private final String jsonName;

  EncryptionMode(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  public static Optional<EncryptionMode> fromJson(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (EncryptionMode mode : values()) {
      if (mode.jsonName.equals(lower)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
