package io.ddp.testing.servers;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key material for encryption tests: deterministic AES-256 keys and PKCS12 keystores holding them,
 * the form DDP's {@code local} key service reads.
 */
public final class TestKeys {
  private TestKeys() {}

  /** A 32-byte AES key, Base64, that is the same for the same seed. */
  public static String base64Key(int seed) {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (seed * 31 + i);
    }
    return Base64.getEncoder().encodeToString(k);
  }

  /** Writes a PKCS12 keystore with one AES secret-key entry per alias, all under {@code password}. */
  public static Path writeKeystore(Path file, String password, Map<String, String> base64Keys) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (Map.Entry<String, String> e : base64Keys.entrySet()) {
      store.setEntry(e.getKey(), new KeyStore.SecretKeyEntry(new SecretKeySpec(Base64.getDecoder().decode(e.getValue()), "AES")),
          new KeyStore.PasswordProtection(password.toCharArray()));
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
