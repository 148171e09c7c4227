package io.ddp.io.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-record encryption of one value: AES-256-GCM under a data key that belongs to the record's key
 * id. Each JVM asks the key service for one data key per key id ({@code GenerateDataKey}) and keeps
 * it; the wrapped data key travels inside every value, so a reader needs only the key service, and
 * unwraps each distinct wrapped key once per JVM.
 *
 * <p>A value is {@code ddp1.} followed by URL-safe base64 of: wrapped-key length (2 bytes), wrapped
 * key, 12-byte nonce, ciphertext with its 16-byte tag. The tag covers the column name and the key id
 * too, so a value moved to another column or another key id's record is detected, never decrypted.
 */
public final class RecordCipher {
  public static final String PREFIX = "ddp1.";
  private static final int IV = 12;
  private static final int TAG_BITS = 128;
  private static final int MAX_UNWRAPPED = 10_000;
  private static volatile int maxUnwrapped = MAX_UNWRAPPED;

  private static final Map<KeyRef, KeyService.DataKey> DATA_KEYS = new ConcurrentHashMap<>();
  /**
   * Unwrapped data keys, least recently used evicted first: at scale the keys of busy tenants stay,
   * where emptying the whole cache when full turned into one key-service call per value.
   */
  private static final Map<WrappedRef, byte[]> UNWRAPPED = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<WrappedRef, byte[]>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<WrappedRef, byte[]> eldest) {
          return size() > maxUnwrapped;
        }
      });

  private record KeyRef(KeyServices.Config service, String keyId) {}

  private record WrappedRef(KeyServices.Config service, String keyId, String wrapped) {}

  private RecordCipher() {}

  /** Encrypts {@code plaintext} of {@code column} under {@code keyId}; the caller names the dataset in errors. */
  public static String encrypt(KeyServices.Config service, String column, String keyId, String plaintext) {
    KeyService.DataKey key = DATA_KEYS.computeIfAbsent(new KeyRef(service, keyId),
        k -> KeyServices.get(service).generateDataKey(keyId));
    byte[] iv = new byte[IV];
    KeyService.RANDOM.nextBytes(iv);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.plaintext(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(column, keyId));
      sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getClass().getSimpleName(), e);
    }
    byte[] wrapped = key.wrapped();
    ByteBuffer out = ByteBuffer.allocate(2 + wrapped.length + IV + sealed.length);
    out.putShort((short) wrapped.length).put(wrapped).put(iv).put(sealed);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  /**
   * Decrypts a value written by {@link #encrypt}. Fails with {@link RecordCipherException} when the
   * value is not one, was altered, or belongs to another key id or column.
   */
  public static String decrypt(KeyServices.Config service, String column, String keyId, String value) {
    if (!value.startsWith(PREFIX)) {
      throw new RecordCipherException("is not a DDP-encrypted value (it does not start with " + PREFIX + ")");
    }
    ByteBuffer in;
    byte[] wrapped;
    byte[] iv = new byte[IV];
    try {
      in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(value.substring(PREFIX.length())));
      wrapped = new byte[Short.toUnsignedInt(in.getShort())];
      in.get(wrapped).get(iv);
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw new RecordCipherException("is not a well-formed DDP-encrypted value; it was altered or truncated");
    }
    byte[] sealed = new byte[in.remaining()];
    in.get(sealed);
    WrappedRef cacheKey = new WrappedRef(service, keyId, Base64.getEncoder().encodeToString(wrapped));
    byte[] dataKey = UNWRAPPED.get(cacheKey);
    if (dataKey == null) {
      dataKey = KeyServices.get(service).unwrap(keyId, wrapped);
      UNWRAPPED.put(cacheKey, dataKey);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(column, keyId));
      return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new RecordCipherException("was altered, or was not encrypted for this column and key id (AES-GCM authentication failed)");
    } catch (GeneralSecurityException e) {
      throw new RecordCipherException("cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] aad(String column, String keyId) {
    return ("ddp-record:" + column + "\u0000" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  /** Forgets cached data keys (tests; a new JVM starts with none). */
  public static void reset() {
    DATA_KEYS.clear();
    UNWRAPPED.clear();
    maxUnwrapped = MAX_UNWRAPPED;
  }

  /** How many unwrapped data keys are kept (tests: a small cache shows the eviction order). */
  static void maxUnwrapped(int value) {
    maxUnwrapped = value;
  }

  /** A value that cannot be decrypted; the message completes "the value of column C ... ". */
  public static final class RecordCipherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordCipherException(String message) {
      super(message);
    }
  }
}
