package io.ddp.io.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.testing.servers.KmsServer;
import io.ddp.testing.servers.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both key services behind one interface: the local one (keystore, environment) and AWS KMS through the SDK. */
class KeyServiceTest {
  static KmsServer kms;

  @BeforeAll
  static void start() throws Exception {
    kms = KmsServer.start("tenant-a", "tenant-b");
    System.setProperty("aws.accessKeyId", "ddp-test");
    System.setProperty("aws.secretAccessKey", "ddp-test-secret");
  }

  @AfterAll
  static void stop() {
    kms.close();
  }

  static AwsKmsKeyService aws() {
    return new AwsKmsKeyService("kms", Map.of("region", "us-east-1", "endpoint", kms.endpoint()));
  }

  static LocalKeyService localFromEnv(Map<String, String> env) {
    return new LocalKeyService("local", Map.of(), env::get);
  }

  @Test
  void awsKmsGeneratesAndUnwrapsDataKeysThroughTheSdk() {
    try (KeyService service = aws()) {
      KeyService.DataKey key = service.generateDataKey("tenant-a");
      assertThat(key.plaintext()).hasSize(32);
      assertThat(service.unwrap("tenant-a", key.wrapped())).isEqualTo(key.plaintext());
      byte[] mine = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
      assertThat(service.unwrap("tenant-b", service.wrap("tenant-b", mine))).isEqualTo(mine);
      assertThat(key.toString()).doesNotContain(Base64.getEncoder().encodeToString(key.plaintext()));
    }
    assertThat(kms.count("GenerateDataKey")).isGreaterThanOrEqualTo(1);
    assertThat(kms.count("Encrypt")).isGreaterThanOrEqualTo(1);
    assertThat(kms.count("Decrypt")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void awsKmsNamesAnUnknownKeyIdAndDetectsAlteredOrForeignWrappedKeys() {
    try (KeyService service = aws()) {
      assertThatThrownBy(() -> service.generateDataKey("no-such-key")).isInstanceOf(KeyServiceException.class)
          .hasMessageContaining("key id 'no-such-key'").hasMessageContaining("no such key")
          .satisfies(e -> assertThat(((KeyServiceException) e).reason()).isEqualTo(KeyServiceException.Reason.UNKNOWN_KEY));
      byte[] wrapped = service.generateDataKey("tenant-a").wrapped();
      byte[] altered = wrapped.clone();
      altered[altered.length - 3] ^= 1;
      assertThatThrownBy(() -> service.unwrap("tenant-a", altered)).isInstanceOf(KeyServiceException.class)
          .hasMessageContaining("altered").satisfies(e -> assertThat(((KeyServiceException) e).reason())
              .isEqualTo(KeyServiceException.Reason.BAD_CIPHERTEXT));
      assertThatThrownBy(() -> service.unwrap("tenant-b", wrapped)).isInstanceOf(KeyServiceException.class)
          .hasMessageContaining("key id 'tenant-b'").satisfies(e -> assertThat(((KeyServiceException) e).reason())
              .isEqualTo(KeyServiceException.Reason.BAD_CIPHERTEXT));
    }
  }

  @Test
  void localServiceReadsKeysFromTheEnvironment() {
    LocalKeyService local = localFromEnv(Map.of(LocalKeyService.envName("tenant-a"), TestKeys.base64Key(1)));
    assertThat(LocalKeyService.envName("tenant-a.eu")).isEqualTo("DDP_KEY_TENANT_A_EU");
    KeyService.DataKey key = local.generateDataKey("tenant-a");
    assertThat(local.unwrap("tenant-a", key.wrapped())).isEqualTo(key.plaintext());
    assertThatThrownBy(() -> local.wrap("tenant-x", new byte[16])).isInstanceOf(KeyServiceException.class)
        .hasMessageContaining("no key with id 'tenant-x'").hasMessageContaining("DDP_KEY_TENANT_X");
    byte[] altered = key.wrapped().clone();
    altered[5] ^= 1;
    assertThatThrownBy(() -> local.unwrap("tenant-a", altered)).isInstanceOf(KeyServiceException.class).hasMessageContaining("altered");
    LocalKeyService shortKey = localFromEnv(Map.of("DDP_KEY_K", Base64.getEncoder().encodeToString(new byte[7])));
    assertThatThrownBy(() -> shortKey.wrap("k", new byte[16])).hasMessageContaining("is 7 bytes; an AES key is 16, 24 or 32 bytes");
  }

  @Test
  void localServiceReadsKeysFromAKeystoreWithThePasswordFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = TestKeys.writeKeystore(dir.resolve("keys.p12"), "s3cret-pass", Map.of("footer", TestKeys.base64Key(2), "col", TestKeys.base64Key(3)));
    LocalKeyService local = new LocalKeyService("local", Map.of("keystore", file.toString()), Map.of("DDP_KEYSTORE_PASSWORD", "s3cret-pass")::get);
    byte[] dek = new byte[32];
    assertThat(local.unwrap("footer", local.wrap("footer", dek))).isEqualTo(dek);
    assertThatThrownBy(() -> local.unwrap("col", local.wrap("footer", dek))).hasMessageContaining("wrapped under another key id");
    LocalKeyService wrong = new LocalKeyService("local", Map.of("keystore", file.toString()), Map.of("DDP_KEYSTORE_PASSWORD", "nope")::get);
    assertThatThrownBy(() -> wrong.wrap("footer", dek)).isInstanceOf(KeyServiceException.class).hasMessageContaining("keys.p12")
        .hasMessageNotContaining("nope");
  }

  @Test
  void recordValuesRoundTripAndAnyChangeIsDetected() {
    KeyServices.Config config = new KeyServices.Config("kms", Map.of("region", "us-east-1", "endpoint", kms.endpoint()));
    String sealed = RecordCipher.encrypt(config, "email", "tenant-a", "ann@example.com");
    assertThat(sealed).startsWith(RecordCipher.PREFIX).doesNotContain("ann@example.com");
    assertThat(RecordCipher.decrypt(config, "email", "tenant-a", sealed)).isEqualTo("ann@example.com");
    assertThat(RecordCipher.encrypt(config, "email", "tenant-a", "ann@example.com")).isNotEqualTo(sealed);
    char last = sealed.charAt(sealed.length() - 2);
    String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
    assertThatThrownBy(() -> RecordCipher.decrypt(config, "email", "tenant-a", altered)).hasMessageContaining("was altered");
    assertThatThrownBy(() -> RecordCipher.decrypt(config, "phone", "tenant-a", sealed)).hasMessageContaining("was altered");
    assertThatThrownBy(() -> RecordCipher.decrypt(config, "email", "tenant-b", sealed)).isInstanceOf(KeyServiceException.class)
        .hasMessageContaining("key id 'tenant-b'");
    assertThatThrownBy(() -> RecordCipher.decrypt(config, "email", "tenant-a", "plain text")).hasMessageContaining("not a DDP-encrypted value");
  }

  @Test
  void keyServiceNamesNeedATypeUnlessTheyAreKmsOrLocal() {
    assertThat(KeyServices.problem(new KeyServices.Config("kms", Map.of()))).isNull();
    assertThat(KeyServices.problem(new KeyServices.Config("local", Map.of()))).isNull();
    assertThat(KeyServices.problem(new KeyServices.Config("vault", Map.of()))).contains("spark.ddp.keyService.vault.type");
    assertThat(KeyServices.problem(new KeyServices.Config("x", Map.of("type", "aws-kmss")))).contains("did you mean 'aws-kms'");
    assertThat(KeyServices.config("kms", Map.of("spark.ddp.keyService.kms.region", "eu-west-1", "spark.ddp.keyService.other.x", "y"),
        KeyServices.SPARK_PREFIX).settings()).isEqualTo(Map.of("region", "eu-west-1"));
  }

  @Test
  void theUnwrapCacheKeepsBusyKeysWhenItIsFull() {
    KeyServices.Config config = new KeyServices.Config("lru", Map.of("type", "aws-kms", "region", "us-east-1", "endpoint", kms.endpoint()));
    try {
      RecordCipher.reset();
      String hot = RecordCipher.encrypt(config, "email", "tenant-a", "hot@example.com");
      java.util.List<String> cold = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        RecordCipher.reset();  // a new data key, as another executor or run would have
        cold.add(RecordCipher.encrypt(config, "email", "tenant-a", "cold" + i + "@example.com"));
      }
      RecordCipher.reset();
      RecordCipher.maxUnwrapped(8);
      long before = kms.count("Decrypt");
      for (int i = 0; i < cold.size(); i++) {
        assertThat(RecordCipher.decrypt(config, "email", "tenant-a", hot)).isEqualTo("hot@example.com");
        assertThat(RecordCipher.decrypt(config, "email", "tenant-a", cold.get(i))).isEqualTo("cold" + i + "@example.com");
      }
      // 61 wrapped keys through a cache of 8: each is unwrapped once, the busy one is never evicted
      // (emptying the whole cache when full unwrapped it again after every 8 others).
      assertThat(kms.count("Decrypt") - before).isEqualTo(61);
    } finally {
      RecordCipher.reset();
    }
  }
}
