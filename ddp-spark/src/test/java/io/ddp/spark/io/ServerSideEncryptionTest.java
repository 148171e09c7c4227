package io.ddp.spark.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.servers.S3ProxyServer;
import io.ddp.core.json.PipelineReader;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Problems;
import io.ddp.io.DeclaredIO;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code "encryption": {"mode": "sse"}} against a real S3 API (S3Proxy, transient backend, which
 * stores and returns each object's encryption headers). S3Proxy reports AES256 for objects written
 * without any header, so each bucket gets a default of SSE-KMS with key "bucket-default": an object
 * that reads back as AES256 was sent with AES256, and the undeclared control dataset shows the default.
 */
@ExtendWith(SparkSessionExtension.class)
class ServerSideEncryptionTest {
  static S3ProxyServer s3;
  static S3Client client;

  @BeforeAll
  static void startS3(@TempDir Path work) throws Exception {
    s3 = S3ProxyServer.start(work);
    client = s3.client();
    for (String bucket : List.of("sse-aes", "sse-kms", "sse-control")) {
      client.createBucket(b -> b.bucket(bucket));
      client.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
          .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("bucket-default")))));
    }
  }

  @AfterAll
  static void stopS3() {
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  static String s3opts() {
    return s3.datasetOptionsJson();
  }

  static String sink(String id, String location, String encryption) {
    return "{\"dataId\": \"" + id + "\", \"location\": \"" + location + "\", \"format\": \"parquet\", \"mode\": \"overwrite\","
        + " \"options\": {" + s3opts() + "}" + (encryption == null ? "" : ", \"encryption\": " + encryption) + "}";
  }

  static String copy(String to) {
    return "{\"inputDataId\": [\"Reviews\"], \"transformerType\": \"sql\", \"outputDataId\": \"" + to + "\","
        + " \"params\": {\"query\": \"SELECT * FROM Reviews\"}}";
  }

  Map<String, HeadObjectResponse> objects(String bucket) {
    return client.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
        .filter(k -> k.contains("part-") || k.endsWith("_SUCCESS"))
        .collect(Collectors.toMap(k -> k, k -> client.headObject(b -> b.bucket(bucket).key(k))));
  }

  @Test
  void everyObjectOfADatasetIsWrittenWithItsDeclaredServerSideEncryption(SparkSession spark, @TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("reviews.csv"), "id,product,stars\n1,kettle,5\n2,lamp,2\n3,kettle,4\n");
    Path p = Files.writeString(dir.resolve("sse.json"), "{\"name\": \"sse\", \"data\": [\n"
        + "{\"dataId\": \"Reviews\", \"location\": \"" + csv + "\", \"schema\": \"id BIGINT, product STRING, stars INT\","
        + " \"options\": {\"header\": \"true\"}},\n"
        + sink("Aes", "s3a://sse-aes/tables/reviews", "{\"mode\": \"sse\", \"algorithm\": \"AES256\"}") + ",\n"
        + sink("Kms", "s3a://sse-kms/tables/reviews", "{\"mode\": \"sse\", \"algorithm\": \"SSE-KMS\", \"kmsKeyId\": \"reviews-key\"}") + ",\n"
        + sink("Control", "s3a://sse-control/tables/reviews", null) + "],\n"
        + "\"transformers\": [" + copy("Aes") + ", " + copy("Kms") + ", " + copy("Control") + "]}");

    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(result.sinks()).hasSize(3).allSatisfy(s -> assertThat(s.rows()).isEqualTo(3));

    Map<String, HeadObjectResponse> aes = objects("sse-aes");
    assertThat(aes).isNotEmpty().allSatisfy((key, head) -> assertThat(head.serverSideEncryptionAsString()).as(key).isEqualTo("AES256"));
    Map<String, HeadObjectResponse> kms = objects("sse-kms");
    assertThat(kms).isNotEmpty().allSatisfy((key, head) -> {
      assertThat(head.serverSideEncryptionAsString()).as(key).isEqualTo("aws:kms");
      assertThat(head.ssekmsKeyId()).as(key).isEqualTo("reviews-key");
    });
    // The control sent no header, so S3 applied the bucket default: the assertions above see what DDP sent.
    assertThat(objects("sse-control")).isNotEmpty().allSatisfy((key, head) -> assertThat(head.ssekmsKeyId()).isEqualTo("bucket-default"));
    assertThat(spark.read().parquet("s3a://sse-kms/tables/reviews").count()).isEqualTo(3);
  }

  static List<String> problems(String json) {
    PipelineDeclare pipeline = PipelineReader.read(json, "t.json", "t", Map.of(), n -> null).pipeline();
    Problems problems = new Problems();
    DeclaredIO.load(ServerSideEncryptionTest.class.getClassLoader()).check(pipeline, problems);
    return problems.asList().stream().map(Problem::toString).collect(Collectors.toList());
  }

  @Test
  void encryptionDeclarationsAreCheckedAgainstTheirDatasets() {
    List<String> found = problems("{\"data\": ["
        + "{\"dataId\": \"A\", \"location\": \"s3a://shared/a\", \"format\": \"parquet\", \"encryption\": {\"mode\": \"sse\", \"algorithm\": \"AES256\"}},"
        + "{\"dataId\": \"B\", \"location\": \"s3a://shared/b\", \"format\": \"parquet\","
        + " \"encryption\": {\"mode\": \"sse\", \"algorithm\": \"SSE-KMS\", \"kmsKeyId\": \"k\"}},"
        + "{\"dataId\": \"C\", \"location\": \"s3a://shared/c\", \"format\": \"parquet\"},"
        + "{\"dataId\": \"L\", \"location\": \"/tmp/l\", \"format\": \"parquet\", \"encryption\": {\"mode\": \"sse\", \"algorithm\": \"AES256\"}},"
        + "{\"dataId\": \"D\", \"location\": \"/tmp/d\", \"format\": \"csv\", \"encryption\": {\"mode\": \"dataset\", \"keyService\": \"kms\","
        + " \"footerKeyId\": \"f\"}},"
        + "{\"dataId\": \"R\", \"location\": \"/tmp/r\", \"format\": \"json\", \"schema\": \"id BIGINT, tenant STRING, email STRING\","
        + " \"encryption\": {\"mode\": \"record\", \"keyService\": \"kms\", \"columns\": [\"emial\", \"tenant\"], \"keyIdColumn\": \"tenant\"}},"
        + "{\"dataId\": \"P\", \"location\": \"/tmp/p\", \"format\": \"parquet\", \"schema\": \"id BIGINT, tenant STRING, email STRING\","
        + " \"partitionBy\": [\"email\"], \"encryption\": {\"mode\": \"record\", \"keyService\": \"kms\", \"columns\": [\"email\"],"
        + " \"keyIdColumn\": \"tenant\"}},"
        + "{\"dataId\": \"N\", \"location\": \"/tmp/n\", \"format\": \"json\","
        + " \"encryption\": {\"mode\": \"record\", \"keyService\": \"kms\", \"columns\": [\"email\"], \"keyIdColumn\": \"tenant\"}},"
        + "{\"dataId\": \"Q\", \"location\": \"/tmp/q\", \"format\": \"parquet\", \"partitionBy\": [\"day\"],"
        + " \"encryption\": {\"mode\": \"dataset\", \"keyService\": \"kms\", \"footerKeyId\": \"f\"}},"
        + "{\"dataId\": \"K\", \"location\": \"/tmp/k\", \"format\": \"parquet\", \"schema\": \"id BIGINT, email STRING, salary INT\","
        + " \"encryption\": {\"mode\": \"dataset\", \"keyService\": \"kms\", \"footerKeyId\": \"f\","
        + " \"columnKeys\": {\"k1\": [\"email\", \"salray\"], \"k2\": [\"email\"]}}}"
        + "], \"transformers\": []}");
    assertThat(String.join("\n", found))
        .contains("datasets 'A' and 'B' are both in bucket shared but declare different server-side encryption")
        .contains("shares bucket shared with 'A', which declares server-side encryption AES256")
        .contains("server-side encryption (mode sse) is done by the store, and this location's store does not (S3 does: s3a://)")
        .contains("mode dataset is Parquet modular encryption; declare \"format\": \"parquet\"")
        .contains("encrypted column 'emial' is not in the declared schema (did you mean 'email'?)")
        .contains("the key id column 'tenant' cannot itself be encrypted")
        .contains("column 'email' is both encrypted and a partition column")
        .contains("without a declared \"schema\", encrypted columns are read back as STRING")
        .contains("partition columns [day] are stored in directory names, which Parquet does not encrypt")
        .contains("column 'salray' under key 'k1' is not in the declared schema (did you mean 'salary'?)")
        .contains("column 'email' is listed under two keys, 'k1' and 'k2'");
  }
}
