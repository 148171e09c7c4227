package io.ddp.io.crypto;

import java.security.SecureRandom;

/**
 * A key service: holds master keys by id and wraps (encrypts) and unwraps data keys with them, so
 * that data keys can be stored next to the data they protect (envelope encryption). Master keys
 * never leave the service. DDP has two: {@link AwsKmsKeyService} (AWS KMS) and
 * {@link LocalKeyService} (keys from a keystore file or environment variables, for development and
 * tests only).
 *
 * <p>Implementations are created once per JVM per configuration (see {@link KeyServices}) and shared
 * by every task, so they must be thread-safe. Messages name key ids, never key material.
 */
public interface KeyService extends AutoCloseable {
  /** Encrypts {@code key} under the master key {@code keyId}; fails with {@link KeyServiceException} if it is unknown. */
  byte[] wrap(String keyId, byte[] key);

  /**
   * Decrypts a wrapped key produced by {@link #wrap} or {@link #generateDataKey} under {@code keyId};
   * fails with {@link KeyServiceException} if the key id is unknown or the wrapped bytes were altered
   * or wrapped under another key.
   */
  byte[] unwrap(String keyId, byte[] wrapped);

  /** A fresh 256-bit data key, in plain and wrapped under {@code keyId} (KMS {@code GenerateDataKey}). */
  default DataKey generateDataKey(String keyId) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new DataKey(key, wrap(keyId, key));
  }

  @Override
  default void close() {}

  /** Shared source of randomness for keys and nonces. */
  SecureRandom RANDOM = new SecureRandom();

  /** A data key: use {@code plaintext}, store {@code wrapped}. {@link #toString()} shows no key bytes. */
  record DataKey(byte[] plaintext, byte[] wrapped) {
    @Override
    public String toString() {
      return "DataKey[" + plaintext.length * 8 + " bits, wrapped " + wrapped.length + " bytes]";
    }
  }
}
