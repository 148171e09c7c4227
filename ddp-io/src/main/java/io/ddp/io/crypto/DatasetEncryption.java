package io.ddp.io.crypto;

import io.ddp.core.model.EncryptionDeclare;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code "encryption": {"mode": "dataset", ...}}: Parquet modular encryption, configured per read and
 * per write through Spark's data source options (Spark copies them into the Hadoop configuration of
 * that job only). Data and key-encryption keys are AES-256; with no {@code columnKeys} every column
 * and the footer are under the footer key (Parquet's uniform mode); with {@code columnKeys} the
 * listed columns are under their keys, the footer under the footer key, and other columns are not
 * encrypted. The file's key material (wrapped keys) is stored in its footer, so reading needs only
 * the key service.
 */
public final class DatasetEncryption {
  static final String FACTORY = "org.apache.parquet.crypto.keytools.PropertiesDrivenCryptoFactory";

  private DatasetEncryption() {}

  /** Writer options for the dataset's encryption. */
  public static Map<String, String> writeOptions(EncryptionDeclare e, KeyServices.Config service) {
    Map<String, String> o = readOptions(service);
    if (e.columnKeys().isEmpty()) {
      o.put("parquet.encryption.uniform.key", e.footerKeyId());
    } else {
      o.put("parquet.encryption.footer.key", e.footerKeyId());
      o.put("parquet.encryption.column.keys", columnKeys(e.columnKeys()));
    }
    o.put("parquet.encryption.plaintext.footer", String.valueOf(e.plaintextFooter()));
    o.put("parquet.encryption.algorithm", "AES_GCM_V1");
    o.put("parquet.encryption.data.key.length.bits", "256");
    o.put("parquet.encryption.kek.length.bits", "256");
    return o;
  }

  /** Reader options: how to reach the key service; which keys to use is in each file's footer. */
  public static Map<String, String> readOptions(KeyServices.Config service) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("parquet.crypto.factory.class", FACTORY);
    o.put("parquet.encryption.kms.client.class", ParquetKmsClient.class.getName());
    o.put("parquet.encryption.kms.instance.id", service.name());
    // Parquet caches clients and unwrapped keys per access token: one token per key service
    // configuration keeps two configurations of the same name apart (and holds no secret).
    o.put("parquet.encryption.key.access.token", token(service));
    o.put(settingsKey(service.name()), encode(service));
    return o;
  }

  /** Parquet's {@code key1:colA,colB;key2:colC}. */
  static String columnKeys(Map<String, List<String>> keys) {
    StringBuilder b = new StringBuilder();
    keys.forEach((key, columns) -> b.append(b.length() == 0 ? "" : ";").append(key).append(':').append(String.join(",", columns)));
    return b.toString();
  }

  /** Spark lower-cases option keys, so the key holding a service's settings is lower case. */
  static String settingsKey(String serviceName) {
    return (KeyServices.HADOOP_PREFIX + serviceName).toLowerCase(Locale.ROOT);
  }

  static String encode(KeyServices.Config service) {
    StringBuilder b = new StringBuilder();
    service.settings().forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  static KeyServices.Config decode(String name, String encoded) {
    Map<String, String> settings = new TreeMap<>();
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        settings.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return new KeyServices.Config(name, settings);
  }

  static String token(KeyServices.Config service) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((service.name() + "?" + encode(service)).getBytes(StandardCharsets.UTF_8));
      return "ddp-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
