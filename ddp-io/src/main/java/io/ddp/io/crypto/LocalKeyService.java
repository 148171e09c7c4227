package io.ddp.io.crypto;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Master keys on this machine, for development and tests: <b>not for production</b> (the keys sit in
 * a file or in the environment of every process that runs the pipeline; nothing audits or rotates
 * them). Data keys are wrapped with AES-256-GCM under the master key, bound to its id.
 *
 * <p>A key id is looked up, in order:
 * <ol>
 *   <li>in the keystore given by setting {@code keystore} (PKCS12, or JCEKS for a {@code .jceks}
 *       file), as the secret-key entry whose alias is the key id; the store's password is read from
 *       the file named by setting {@code keystorePasswordFile}, else from the environment variable
 *       named by {@code keystorePasswordEnv} (default {@code DDP_KEYSTORE_PASSWORD});
 *   <li>in the environment variable {@code DDP_KEY_<ID>} (the id upper-cased, every character other
 *       than a letter or digit replaced by {@code _}), holding the base64 of a 16, 24 or 32-byte key.
 * </ol>
 */
public final class LocalKeyService implements KeyService {
  private static final byte VERSION = 1;
  private static final int IV = 12;
  private static final int TAG_BITS = 128;

  private final String name;
  private final String keystore;
  private final String passwordEnv;
  private final String passwordFile;
  private final Function<String, String> env;
  private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();
  private volatile KeyStore store;

  /** From the key service's settings ({@code keystore}, {@code keystorePasswordEnv}); keys from {@link System#getenv}. */
  public LocalKeyService(String name, Map<String, String> settings) {
    this(name, settings, System::getenv);
  }

  /** As above, with another source of environment variables (tests). */
  public LocalKeyService(String name, Map<String, String> settings, Function<String, String> env) {
    this.name = name;
    this.keystore = settings.get("keystore");
    this.passwordEnv = settings.getOrDefault("keystorePasswordEnv", "DDP_KEYSTORE_PASSWORD");
    this.passwordFile = settings.get("keystorePasswordFile");
    this.env = env;
  }

  /** The environment variable that may hold key {@code keyId}. */
  public static String envName(String keyId) {
    return "DDP_KEY_" + keyId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  @Override
  public byte[] wrap(String keyId, byte[] key) {
    try {
      byte[] iv = new byte[IV];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, master(keyId), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(keyId));
      byte[] sealed = cipher.doFinal(key);
      byte[] out = new byte[1 + IV + sealed.length];
      out[0] = VERSION;
      System.arraycopy(iv, 0, out, 1, IV);
      System.arraycopy(sealed, 0, out, 1 + IV, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, keyId,
          "Local key service '" + name + "' cannot wrap a data key with key id '" + keyId + "': " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public byte[] unwrap(String keyId, byte[] wrapped) {
    SecretKeySpec master = master(keyId);
    if (wrapped == null || wrapped.length < 1 + IV + TAG_BITS / 8 || wrapped[0] != VERSION) {
      throw badCiphertext(keyId, null);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(TAG_BITS, wrapped, 1, IV));
      cipher.updateAAD(aad(keyId));
      return cipher.doFinal(wrapped, 1 + IV, wrapped.length - 1 - IV);
    } catch (AEADBadTagException e) {
      throw badCiphertext(keyId, e);
    } catch (GeneralSecurityException e) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, keyId,
          "Local key service '" + name + "' cannot unwrap a data key with key id '" + keyId + "': " + e.getClass().getSimpleName(), e);
    }
  }

  private KeyServiceException badCiphertext(String keyId, Throwable cause) {
    return new KeyServiceException(KeyServiceException.Reason.BAD_CIPHERTEXT, keyId, "Local key service '" + name
        + "' cannot unwrap a data key with key id '" + keyId + "': the wrapped key was altered or was wrapped under another key id", cause);
  }

  private static byte[] aad(String keyId) {
    return ("ddp-local-wrap:" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private SecretKeySpec master(String keyId) {
    SecretKeySpec cached = keys.get(keyId);
    if (cached != null) {
      return cached;
    }
    SecretKeySpec found = fromKeystore(keyId).or(() -> fromEnv(keyId)).orElseThrow(() -> new KeyServiceException(
        KeyServiceException.Reason.UNKNOWN_KEY, keyId, "Local key service '" + name + "' has no key with id '" + keyId + "': add it "
            + (keystore == null ? "" : "to keystore " + keystore + " (a secret-key entry with alias '" + keyId + "') or ")
            + "as environment variable " + envName(keyId) + " (base64 of a 16, 24 or 32-byte key)"));
    keys.put(keyId, found);
    return found;
  }

  private Optional<SecretKeySpec> fromKeystore(String keyId) {
    if (keystore == null) {
      return Optional.empty();
    }
    try {
      Key key = keystore().getKey(keyId, password());
      return key == null ? Optional.empty() : Optional.of(aes(keyId, key.getEncoded(), "keystore " + keystore));
    } catch (GeneralSecurityException e) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, keyId, "Local key service '" + name
          + "' cannot read key '" + keyId + "' from keystore " + keystore + ": " + e.getClass().getSimpleName()
          + "; check the password in " + passwordSource(), e);
    }
  }

  private Optional<SecretKeySpec> fromEnv(String keyId) {
    String value = env.apply(envName(keyId));
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, keyId,
          "Local key service '" + name + "': environment variable " + envName(keyId) + " is not base64");
    }
    return Optional.of(aes(keyId, bytes, "environment variable " + envName(keyId)));
  }

  private SecretKeySpec aes(String keyId, byte[] bytes, String where) {
    if (bytes == null || (bytes.length != 16 && bytes.length != 24 && bytes.length != 32)) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, keyId, "Local key service '" + name + "': key '" + keyId
          + "' in " + where + " is " + (bytes == null ? 0 : bytes.length) + " bytes; an AES key is 16, 24 or 32 bytes");
    }
    return new SecretKeySpec(bytes, "AES");
  }

  private KeyStore keystore() throws GeneralSecurityException {
    KeyStore s = store;
    if (s == null) {
      synchronized (this) {
        if (store == null) {
          Path path = Path.of(keystore);
          String type = keystore.toLowerCase(Locale.ROOT).endsWith(".jceks") ? "JCEKS" : "PKCS12";
          try (InputStream in = Files.newInputStream(path)) {
            KeyStore loaded = KeyStore.getInstance(type);
            loaded.load(in, password());
            store = loaded;
          } catch (java.io.IOException e) {
            throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, null, "Local key service '" + name
                + "' cannot open keystore " + keystore + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + (e.getCause() instanceof java.security.UnrecoverableKeyException ? "; check the password in " + passwordSource() : ""), e);
          }
        }
        s = store;
      }
    }
    return s;
  }

  private char[] password() {
    if (passwordFile != null) {
      try {
        return Files.readString(Path.of(passwordFile)).strip().toCharArray();
      } catch (java.io.IOException e) {
        throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, null, "Local key service '" + name
            + "' cannot read its keystore password file " + passwordFile + ": " + e.getClass().getSimpleName());
      }
    }
    String p = env.apply(passwordEnv);
    return p == null ? new char[0] : p.toCharArray();
  }

  private String passwordSource() {
    return passwordFile != null ? "password file " + passwordFile : "environment variable " + passwordEnv;
  }
}
