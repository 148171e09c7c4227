package io.ddp.spark.crypto;

import io.ddp.testing.servers.KmsServer;
import io.ddp.testing.servers.TestKeys;
import io.ddp.io.crypto.RecordCipher;
import io.ddp.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.crypto.keytools.KeyToolkit;
import org.apache.spark.sql.SparkSession;

/**
 * The two key services the encryption tests use, configured in the shared session: {@code testkms}
 * (AWS KMS through the SDK against {@link KmsServer}) and {@code testlocal} (a PKCS12 keystore whose
 * password is in a file).
 */
final class TestKeyServices implements AutoCloseable {
  static final String KEYSTORE_PASSWORD = "ks-pass-7f3a9c";
  static final Map<String, String> LOCAL_KEYS = Map.of("footer-local", TestKeys.base64Key(11), "salary-local", TestKeys.base64Key(12),
      "tenant-a", TestKeys.base64Key(13), "tenant-b", TestKeys.base64Key(14));
  private static final List<String> SETTINGS = List.of("testkms.type", "testkms.region", "testkms.endpoint", "testlocal.type",
      "testlocal.keystore", "testlocal.keystorePasswordFile");

  final KmsServer kms;
  final Path keystore;

  private TestKeyServices(KmsServer kms, Path keystore) {
    this.kms = kms;
    this.keystore = keystore;
  }

  static TestKeyServices start(Path dir) throws Exception {
    KmsServer kms = KmsServer.start("tenant-a", "tenant-b", "footer", "salary");
    System.setProperty("aws.accessKeyId", "ddp-test");
    System.setProperty("aws.secretAccessKey", "ddp-test-secret");
    Path keystore = TestKeys.writeKeystore(dir.resolve("dev-keys.p12"), KEYSTORE_PASSWORD, LOCAL_KEYS);
    Path password = Files.writeString(dir.resolve("keystore.password"), KEYSTORE_PASSWORD + "\n");
    SparkSession spark = SharedSpark.session();
    spark.conf().set("spark.ddp.keyService.testkms.type", "aws-kms");
    spark.conf().set("spark.ddp.keyService.testkms.region", "us-east-1");
    spark.conf().set("spark.ddp.keyService.testkms.endpoint", kms.endpoint());
    spark.conf().set("spark.ddp.keyService.testlocal.type", "local");
    spark.conf().set("spark.ddp.keyService.testlocal.keystore", keystore.toString());
    spark.conf().set("spark.ddp.keyService.testlocal.keystorePasswordFile", password.toString());
    forgetCachedKeys();
    return new TestKeyServices(kms, keystore);
  }

  /** Parquet and DDP keep unwrapped keys per JVM; a test can start as a fresh executor would. */
  static void forgetCachedKeys() {
    KeyToolkit.removeCacheEntriesForAllTokens();
    RecordCipher.reset();
  }

  @Override
  public void close() {
    SparkSession spark = SharedSpark.session();
    SETTINGS.forEach(k -> spark.conf().unset("spark.ddp.keyService." + k));
    forgetCachedKeys();
    kms.close();
  }
}
