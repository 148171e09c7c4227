package io.ddp.spark.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.testing.servers.KmsServer;
import io.ddp.io.crypto.RecordCipher;
import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.crypto.keytools.KeyToolkit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption modes record and dataset end to end: a pipeline writes a dataset encrypted as declared,
 * the files hold no plaintext, a second pipeline reads it back through the same declaration, and
 * altered data or missing and wrong keys fail with messages naming the dataset and key id.
 */
@ExtendWith(SparkSessionExtension.class)
class EncryptionPipelineTest {
  static TestKeyServices keys;
  static KmsServer kms;

  @TempDir
  Path dir;

  @BeforeAll
  static void keyServices(@TempDir Path keyDir) throws Exception {
    keys = TestKeyServices.start(keyDir);
    kms = keys.kms;
  }

  @AfterAll
  static void stop() {
    keys.close();
  }

  @BeforeEach
  void forgetCachedKeys() {
    TestKeyServices.forgetCachedKeys();
  }

  static final String SCHEMA = "id BIGINT, tenant STRING, email STRING, salary INT";

  /** 200 people of two tenants. */
  Path people() throws Exception {
    StringBuilder csv = new StringBuilder("id,tenant,email,salary\n");
    for (int i = 1; i <= 200; i++) {
      csv.append(i).append(',').append(i % 3 == 0 ? "tenant-b" : "tenant-a").append(",person").append(i).append("@example.com,")
          .append(1000 + i).append('\n');
    }
    return Files.writeString(dir.resolve("people.csv"), csv.toString());
  }

  /** Writes People (csv) to Secure as declared, through a sql pipe. */
  RunResult write(SparkSession spark, String format, String encryption) throws Exception {
    Path p = Files.writeString(dir.resolve("write.json"), "{\"name\": \"write\", \"data\": ["
        + "{\"dataId\": \"People\", \"location\": \"" + people() + "\", \"schema\": \"" + SCHEMA + "\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Secure\", \"location\": \"" + dir.resolve("secure") + "\", \"format\": \"" + format + "\", \"mode\": \"overwrite\","
        + " \"schema\": \"" + SCHEMA + "\", \"encryption\": " + encryption + "}],"
        + " \"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Secure\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    return PipelineTester.of(spark, p).writeSinks(true).run();
  }

  /** Reads Secure as declared (encryption may be null) and returns what a pipe sees. */
  List<String> read(SparkSession spark, String format, String encryption) throws Exception {
    Path p = Files.writeString(dir.resolve("read.json"), "{\"name\": \"read\", \"data\": ["
        + "{\"dataId\": \"Secure\", \"location\": \"" + dir.resolve("secure") + "\", \"format\": \"" + format + "\","
        + " \"schema\": \"" + SCHEMA + "\"" + (encryption == null ? "" : ", \"encryption\": " + encryption) + "},"
        + "{\"dataId\": \"Seen\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Secure\"], \"transformerType\": \"sql\", \"outputDataId\": \"Seen\","
        + " \"params\": {\"query\": \"SELECT * FROM Secure\"}}]}");
    RunResult r = PipelineTester.of(spark, p).run();
    return rows(r.captured().get("Seen").orderBy("id").collectAsList());
  }

  static List<String> rows(List<Row> rows) {
    return rows.stream().map(Row::toString).collect(Collectors.toList());
  }

  List<String> expected(SparkSession spark) {
    return rows(spark.read().schema(SCHEMA).option("header", "true").csv(dir.resolve("people.csv").toString()).orderBy("id").collectAsList());
  }

  static String allBytes(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      StringBuilder b = new StringBuilder();
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        b.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
      return b.toString();
    }
  }

  /** Replaces a file's content as an attacker would: Hadoop's local .crc sidecar is no protection, so it goes too. */
  static void tamper(Path file, byte[] content) throws Exception {
    Files.write(file, content);
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  static List<Path> dataFiles(Path root, String suffix) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.getFileName().toString().startsWith("part-") && f.toString().endsWith(suffix)).collect(Collectors.toList());
    }
  }

  static final String RECORD_KMS = "{\"mode\": \"record\", \"keyService\": \"testkms\", \"columns\": [\"email\", \"salary\"],"
      + " \"keyIdColumn\": \"tenant\"}";

  @Test
  void recordModeRoundTripsThroughAwsKmsWithOneDataKeyPerKeyIdAndNoPlaintextInTheFiles(SparkSession spark) throws Exception {
    long generated = kms.count("GenerateDataKey");
    long decrypted = kms.count("Decrypt");
    write(spark, "json", RECORD_KMS);

    String stored = allBytes(dir.resolve("secure"));
    assertThat(stored).doesNotContain("person1@example.com").doesNotContain("person200@example.com").contains("tenant-a");
    List<Row> raw = spark.read().json(dir.resolve("secure").toString()).collectAsList();
    assertThat(raw).hasSize(200).allSatisfy(r -> {
      assertThat(r.getAs("email").toString()).startsWith(RecordCipher.PREFIX);
      assertThat(r.getAs("salary").toString()).startsWith(RecordCipher.PREFIX);
    });
    assertThat(kms.count("GenerateDataKey") - generated).as("one data key per key id in this JVM, not one per record").isEqualTo(2);

    assertThat(read(spark, "json", RECORD_KMS)).isEqualTo(expected(spark)).hasSize(200);
    assertThat(kms.count("Decrypt") - decrypted).as("each wrapped data key is unwrapped once per JVM").isEqualTo(2);
  }

  @Test
  void recordModeWithTheLocalKeyServiceRoundTripsInParquet(SparkSession spark) throws Exception {
    String enc = "{\"mode\": \"record\", \"keyService\": \"testlocal\", \"columns\": [\"email\"], \"keyIdColumn\": \"tenant\"}";
    write(spark, "parquet", enc);
    assertThat(spark.read().parquet(dir.resolve("secure").toString()).schema().apply("email").dataType().simpleString()).isEqualTo("string");
    assertThat(allBytes(dir.resolve("secure"))).doesNotContain("@example.com");
    assertThat(read(spark, "parquet", enc)).isEqualTo(expected(spark));
  }

  @Test
  void anAlteredRecordIsDetectedAndNeverReturnedAsData(SparkSession spark) throws Exception {
    write(spark, "json", RECORD_KMS);
    Path file = dataFiles(dir.resolve("secure"), ".json").get(0);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    String line = lines.get(0);
    int at = line.indexOf(RecordCipher.PREFIX) + RecordCipher.PREFIX.length() + 120;
    lines.set(0, line.substring(0, at) + (line.charAt(at) == 'x' ? 'y' : 'x') + line.substring(at + 1));
    tamper(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    String tenant = spark.read().json(file.toString()).first().getAs("tenant");

    // The pipe's output is captured, not written, so the failure comes when the test reads it: either way no row comes back.
    assertThatThrownBy(() -> read(spark, "json", RECORD_KMS))
        .satisfies(e -> assertThat(rootMessages(e)).contains("of dataset 'Secure' with key id '" + tenant + "'")
            .containsAnyOf("was altered", "altered or was wrapped under another key"));
  }

  @Test
  void aRecordMovedToAnotherKeyIdIsDetected(SparkSession spark) throws Exception {
    write(spark, "json", RECORD_KMS);
    Path file = dataFiles(dir.resolve("secure"), ".json").get(0);
    List<String> lines = Files.readAllLines(file).stream().map(l -> l.contains("\"tenant-a\"") ? l.replace("\"tenant-a\"", "\"tenant-b\"") : l)
        .collect(Collectors.toList());
    tamper(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> read(spark, "json", RECORD_KMS))
        .satisfies(e -> assertThat(rootMessages(e)).contains("dataset 'Secure' with key id 'tenant-b'"));
  }

  @Test
  void anUnknownKeyIdFailsTheWriteNamingDatasetAndKeyIdAndLeavesNothingBehind(SparkSession spark) throws Exception {
    Path csv = Files.writeString(dir.resolve("people.csv"), "id,tenant,email,salary\n1,tenant-a,a@example.com,1\n2,tenant-zz,z@example.com,2\n");
    Path p = Files.writeString(dir.resolve("write.json"), "{\"data\": ["
        + "{\"dataId\": \"People\", \"location\": \"" + csv + "\", \"schema\": \"" + SCHEMA + "\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Secure\", \"location\": \"" + dir.resolve("secure") + "\", \"format\": \"json\", \"schema\": \"" + SCHEMA + "\","
        + " \"encryption\": " + RECORD_KMS + "}],"
        + " \"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Secure\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run()).isInstanceOf(PipeFailedException.class)
        .satisfies(e -> assertThat(rootMessages(e)).contains("Cannot encrypt column 'email' of dataset 'Secure' with key id 'tenant-zz'")
            .contains("no such key"));
    assertThat(dir.resolve("secure")).doesNotExist();
  }

  @Test
  void aRecordWithoutAKeyIdFailsTheWriteNamingTheColumnAndDataset(SparkSession spark) throws Exception {
    Path csv = Files.writeString(dir.resolve("people.csv"), "id,tenant,email,salary\n1,tenant-a,a@example.com,1\n2,,b@example.com,2\n");
    Path p = Files.writeString(dir.resolve("write.json"), "{\"data\": ["
        + "{\"dataId\": \"People\", \"location\": \"" + csv + "\", \"schema\": \"" + SCHEMA + "\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Secure\", \"location\": \"" + dir.resolve("secure") + "\", \"format\": \"json\", \"schema\": \"" + SCHEMA + "\","
        + " \"encryption\": " + RECORD_KMS + "}],"
        + " \"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Secure\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).run()).isInstanceOf(PipeFailedException.class)
        .satisfies(e -> assertThat(rootMessages(e)).contains("of dataset 'Secure': a record has no key id in column 'tenant'")
            .contains("every record with a value in"));
    assertThat(dir.resolve("secure")).doesNotExist();
  }

  static final String DATASET_KMS = "{\"mode\": \"dataset\", \"keyService\": \"testkms\", \"footerKeyId\": \"footer\"}";

  @Test
  void datasetModeEncryptsEveryColumnAndTheFooterAndReadsBackWithTheKeyService(SparkSession spark) throws Exception {
    write(spark, "parquet", DATASET_KMS);
    List<Path> files = dataFiles(dir.resolve("secure"), ".parquet");
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII)).as("encrypted footer magic").isEqualTo("PARE");
    }
    assertThat(allBytes(dir.resolve("secure"))).doesNotContain("@example.com").doesNotContain("salary");
    assertThat(read(spark, "parquet", DATASET_KMS)).isEqualTo(expected(spark));

    // Without its key: plain Spark and an undeclared DDP read both fail, the latter saying what to declare.
    KeyToolkit.removeCacheEntriesForAllTokens();
    assertThatThrownBy(() -> spark.read().parquet(dir.resolve("secure").toString()).collectAsList());
    assertThatThrownBy(() -> read(spark, "parquet", null)).satisfies(e -> assertThat(rootMessages(e))
        .contains("Cannot read dataset 'Secure'").contains("its Parquet files are encrypted and no key was given")
        .contains("\"mode\": \"dataset\""));
  }

  @Test
  void datasetModeWithColumnKeysAndAPlaintextFooterEncryptsOnlyTheListedColumns(SparkSession spark) throws Exception {
    String enc = "{\"mode\": \"dataset\", \"keyService\": \"testlocal\", \"footerKeyId\": \"footer-local\","
        + " \"columnKeys\": {\"salary-local\": [\"email\", \"salary\"]}, \"plaintextFooter\": true}";
    write(spark, "parquet", enc);
    for (Path f : dataFiles(dir.resolve("secure"), ".parquet")) {
      byte[] bytes = Files.readAllBytes(f);
      assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
    }
    assertThat(allBytes(dir.resolve("secure"))).doesNotContain("@example.com");
    assertThat(read(spark, "parquet", enc)).isEqualTo(expected(spark));
    // Columns without a key stay readable without keys; a keyed column is not.
    KeyToolkit.removeCacheEntriesForAllTokens();
    assertThat(spark.read().parquet(dir.resolve("secure").toString()).select("id").count()).isEqualTo(200);
    assertThatThrownBy(() -> spark.read().parquet(dir.resolve("secure").toString()).select("email").collectAsList());
  }

  @Test
  void anAlteredEncryptedParquetFileIsDetected(SparkSession spark) throws Exception {
    write(spark, "parquet", DATASET_KMS);
    Path f = dataFiles(dir.resolve("secure"), ".parquet").stream().max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).get();
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length / 3] ^= 0x5a;
    tamper(f, bytes);
    assertThatThrownBy(() -> read(spark, "parquet", DATASET_KMS)).satisfies(e -> assertThat(rootMessages(e))
        .containsAnyOf("altered or is corrupt", "GCM tag check failed"));
  }

  @Test
  void anUnknownFooterKeyIdFailsNamingTheDatasetAndTheKeyId(SparkSession spark) throws Exception {
    String enc = "{\"mode\": \"dataset\", \"keyService\": \"testkms\", \"footerKeyId\": \"nope\"}";
    assertThatThrownBy(() -> write(spark, "parquet", enc)).isInstanceOf(PipeFailedException.class)
        .satisfies(e -> assertThat(rootMessages(e)).contains("dataset 'Secure'").contains("key id 'nope'"));
  }

  @Test
  void readingWithAKeyServiceThatLacksTheKeysNamesTheDatasetAndTheKeyId(SparkSession spark) throws Exception {
    write(spark, "parquet", DATASET_KMS);
    TestKeyServices.forgetCachedKeys();
    String other = "{\"mode\": \"dataset\", \"keyService\": \"testlocal\", \"footerKeyId\": \"footer\"}";
    assertThatThrownBy(() -> read(spark, "parquet", other)).satisfies(e -> assertThat(rootMessages(e))
        .contains("Cannot read dataset 'Secure'").contains("has no key with id 'footer'"));
  }

  @Test
  void anUnconfiguredKeyServiceIsReportedBeforeAnythingRuns(SparkSession spark) throws Exception {
    String enc = "{\"mode\": \"record\", \"keyService\": \"vault\", \"columns\": [\"email\"], \"keyIdColumn\": \"tenant\"}";
    assertThatThrownBy(() -> write(spark, "json", enc)).satisfies(e -> assertThat(rootMessages(e))
        .contains("key service 'vault' is not configured").contains("spark.ddp.keyService.vault.type"));
    assertThat(dir.resolve("secure")).doesNotExist();
  }

  static final String TYPED = "id BIGINT, tenant STRING, born DATE, balance DECIMAL(12,2), tags ARRAY<STRING>,"
      + " address STRUCT<city: STRING, zip: STRING>, photo BINARY, seen TIMESTAMP, active BOOLEAN, region STRING";

  /** Rows of many types (nulls included), copied from a parquet source to a partitioned parquet sink as declared. */
  List<String> typedRoundTrip(SparkSession spark, String encryption) throws Exception {
    spark.sql("SELECT id, IF(id % 2 = 0, 'tenant-a', 'tenant-b') AS tenant, date_add(DATE'1990-01-01', CAST(id AS INT)) AS born,"
        + " CAST(id * 10.25 AS DECIMAL(12,2)) AS balance, IF(id % 5 = 0, NULL, array('t' || id, 'x')) AS tags,"
        + " named_struct('city', 'City ' || id, 'zip', lpad(CAST(id AS STRING), 5, '0')) AS address, CAST('img' || id AS BINARY) AS photo,"
        + " timestamp_micros(1700000000123456 + id) AS seen, id % 3 = 0 AS active, IF(id % 2 = 0, 'eu', 'us') AS region"
        + " FROM range(1, 41)").write().parquet(dir.resolve("typed").toString());
    String data = "{\"dataId\": \"Typed\", \"location\": \"" + dir.resolve("typed") + "\", \"format\": \"parquet\", \"schema\": \""
        + TYPED + "\"},";
    String secure = "{\"dataId\": \"Secure\", \"location\": \"" + dir.resolve("secure") + "\", \"format\": \"parquet\","
        + " \"schema\": \"" + TYPED + "\", \"partitionBy\": [\"region\"], \"encryption\": " + encryption;
    Path w = Files.writeString(dir.resolve("w.json"), "{\"data\": [" + data + secure + ", \"mode\": \"overwrite\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Typed\"], \"transformerType\": \"sql\", \"outputDataId\": \"Secure\","
        + " \"params\": {\"query\": \"SELECT * FROM Typed\"}}]}");
    PipelineTester.of(spark, w).writeSinks(true).run();
    assertThat(allBytes(dir.resolve("secure"))).doesNotContain("City 7").doesNotContain("img7");
    Path r = Files.writeString(dir.resolve("r.json"), "{\"data\": [" + secure + "}, {\"dataId\": \"Seen\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Secure\"], \"transformerType\": \"sql\", \"outputDataId\": \"Seen\","
        + " \"params\": {\"query\": \"SELECT id, tenant, born, balance, tags, address, base64(photo) AS photo, seen, active, region"
        + " FROM Secure\"}}]}");
    return rows(PipelineTester.of(spark, r).run().captured().get("Seen").orderBy("id").collectAsList());
  }

  List<String> typedExpected(SparkSession spark) {
    return rows(spark.read().parquet(dir.resolve("typed").toString()).selectExpr("id", "tenant", "born", "balance", "tags", "address",
        "base64(photo) AS photo", "seen", "active", "region").orderBy("id").collectAsList());
  }

  @Test
  void recordModeKeepsEveryTypeAndNullThroughTheRoundTrip(SparkSession spark) throws Exception {
    List<String> back = typedRoundTrip(spark, "{\"mode\": \"record\", \"keyService\": \"testlocal\","
        + " \"columns\": [\"born\", \"balance\", \"tags\", \"address\", \"photo\", \"seen\", \"active\"], \"keyIdColumn\": \"tenant\"}");
    assertThat(back).hasSize(40).isEqualTo(typedExpected(spark));
  }

  @Test
  void datasetModeKeepsEveryTypeInAPartitionedDataset(SparkSession spark) throws Exception {
    List<String> back = typedRoundTrip(spark, "{\"mode\": \"dataset\", \"keyService\": \"testkms\", \"footerKeyId\": \"footer\"}");
    assertThat(back).hasSize(40).isEqualTo(typedExpected(spark));
  }

  /** Every message in the chain: what a user sees in the run's error and its causes. */
  static String rootMessages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      b.append(t.getMessage()).append('\n');
    }
    return b.toString();
  }
}
