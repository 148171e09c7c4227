package io.ddp.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a dataset is encrypted at rest. Only the declaration lives here; the I/O layer applies it.
 *
 * <p>Which fields a mode uses:
 * <ul>
 *   <li>{@code sse}: {@code algorithm} ({@code AES256} or {@code SSE-KMS}), {@code kmsKeyId} for SSE-KMS.
 *   <li>{@code dataset}: {@code keyService}, {@code footerKeyId}, {@code columnKeys} (key id to the
 *       columns it encrypts; empty means every column under the footer key), {@code plaintextFooter}.
 *   <li>{@code record}: {@code keyService}, {@code columns} to encrypt, {@code keyIdColumn} naming the
 *       column that holds each record's key id.
 * </ul>
 * Unused fields are null or empty; the loader rejects fields that do not belong to the declared mode.
 *
 * <pre>{@code
 * {"mode": "record", "keyService": "local", "columns": ["email"], "keyIdColumn": "tenant"}
 * }</pre>
 */
public record EncryptionDeclare(
    EncryptionMode mode,
    String algorithm,
    String kmsKeyId,
    String keyService,
    String footerKeyId,
    Map<String, List<String>> columnKeys,
    boolean plaintextFooter,
    List<String> columns,
    String keyIdColumn) {

  public EncryptionDeclare {
    Objects.requireNonNull(mode, "Cannot declare encryption: mode is null");
    Map<String, List<String>> keys = new LinkedHashMap<>();
    if (columnKeys != null) {
      columnKeys.forEach((k, v) -> keys.put(k, List.copyOf(v)));
    }
    columnKeys = java.util.Collections.unmodifiableMap(keys);
    columns = columns == null ? List.of() : List.copyOf(columns);
  }

  /** Server-side encryption with the given algorithm ({@code AES256} or {@code SSE-KMS}). */
  public static EncryptionDeclare sse(String algorithm, String kmsKeyId) {
    return new EncryptionDeclare(EncryptionMode.SSE, algorithm, kmsKeyId, null, null, null, false, null, null);
  }

  /** Markers safe to show in plans and pictures: the mode and key ids, never key material. */
  public String summary() {
    return switch (mode) {
      case SSE -> "sse " + (algorithm == null ? "" : algorithm);
      case DATASET -> "dataset keys" + (keyService == null ? "" : " via " + keyService);
      case RECORD -> "record keys by " + keyIdColumn;
    };
  }
}
