package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.metrics.LineStore;
import io.ddp.spark.exec.DriverFiles;
import io.ddp.viz.PictureRenderer;
import io.ddp.testing.SparkSessionExtension;
import io.ddp.testing.servers.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the driver writes (run state, report, jsonl metrics, the live picture) on S3 through Hadoop,
 * as a driver in YARN or Kubernetes cluster mode must, and on {@code file:} URIs through Hadoop's
 * rename path.
 */
@ExtendWith(SparkSessionExtension.class)
class DriverOutputsTest {
  private static final String BUCKET = "ddp-driver";
  private static final ObjectMapper JSON = new ObjectMapper();
  static S3ProxyServer s3;
  static S3Client client;

  @BeforeAll
  static void startS3(@TempDir Path work) throws Exception {
    s3 = S3ProxyServer.start(work);
    client = s3.client();
    client.createBucket(b -> b.bucket(BUCKET));
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

  /** The spark.hadoop.* settings a user gives spark-submit for the bucket. */
  static List<String> bucketConf(String bucket) {
    return s3.s3aBucketConfArgs(bucket, true);
  }

  static Configuration hadoop(String bucket) {
    List<String> args = bucketConf(bucket);
    java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();
    for (int i = 1; i < args.size(); i += 2) {
      String kv = args.get(i);
      conf.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return PipelineSource.hadoopConf(conf);
  }

  static String object(String key) {
    return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  @Test
  void stateReportMetricsAndPictureGoToS3AndResumeReadsTheStateBack(SparkSession spark, @TempDir Path dir) throws Exception {
    client.putObject(b -> b.bucket(BUCKET).key("in/reviews.csv"), RequestBody.fromString("id,product,stars\n1,kettle,5\n2,lamp,2\n3,kettle,4\n"));
    Path pipeline = dir.resolve("two-sinks.json");
    // Two sinks; the second divides by ${d}: with d=0 it fails under ANSI SQL after the first is committed.
    Files.writeString(pipeline, "{\"name\": \"two-sinks\", \"data\": [\n"
        + "{\"dataId\": \"Reviews\", \"location\": \"s3a://" + BUCKET + "/in/reviews.csv\", \"format\": \"csv\","
        + " \"schema\": \"id BIGINT, product STRING, stars INT\", \"options\": {\"header\": \"true\"}},\n"
        + "{\"dataId\": \"PerProduct\", \"location\": \"${pipeline.dir}/per-product\", \"format\": \"parquet\", \"mode\": \"overwrite\"},\n"
        + "{\"dataId\": \"Scaled\", \"location\": \"${pipeline.dir}/scaled\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"Reviews\"], \"transformerType\": \"sql\", \"outputDataId\": \"PerProduct\","
        + " \"params\": {\"query\": \"SELECT product, count(*) AS n FROM Reviews GROUP BY product\"}},\n"
        + "{\"inputDataId\": [\"PerProduct\"], \"transformerType\": \"sql\", \"outputDataId\": \"Scaled\","
        + " \"params\": {\"query\": \"SELECT product, n / ${d} AS x FROM PerProduct\"}}],\n"
        + "\"metrics\": [{\"metricId\": \"products\", \"dataId\": \"PerProduct\", \"expression\": \"count(*)\"}]}");
    String root = "s3a://" + BUCKET + "/ddp";
    List<String> outputs = List.of("--state-dir", root + "/state", "--report", root + "/reports/two-sinks.json",
        "--metrics-sink", "jsonl:path=" + root + "/metrics/two-sinks.jsonl", "--viz", root + "/viz/two-sinks.svg");

    List<String> failing = new ArrayList<>(List.of("run", pipeline.toString(), "--var", "d=0"));
    failing.addAll(outputs);
    failing.addAll(bucketConf(BUCKET));
    DdpCommandTest.Outcome first = ddp(failing.toArray(String[]::new));
    assertThat(first.code()).as(first.out() + first.err()).isEqualTo(1);
    assertThat(first.err()).contains("--state-dir " + root + "/state").contains("--resume");

    List<String> stateKeys = client.listObjectsV2(b -> b.bucket(BUCKET).prefix("ddp/state/")).contents().stream()
        .map(o -> o.key()).toList();
    assertThat(stateKeys).hasSize(1).allMatch(k -> k.startsWith("ddp/state/two-sinks-") && k.endsWith(".json"));
    JsonNode state = JSON.readTree(object(stateKeys.get(0)));
    assertThat(state.get("status").asText()).isEqualTo("failed");
    assertThat(state.get("committed").toString()).isEqualTo("[\"PerProduct\"]");
    JsonNode report = JSON.readTree(object("ddp/reports/two-sinks.json"));
    assertThat(report.get("status").asText()).isEqualTo("failed");
    String metrics = object("ddp/metrics/two-sinks.jsonl");
    assertThat(metrics.lines().map(l -> readTree(l)).filter(n -> n.get("name").asText().equals("products")).toList())
        .singleElement().satisfies(n -> assertThat(n.get("value").asDouble()).isEqualTo(2.0));
    if (PictureRenderer.dotAvailable()) {
      assertThat(object("ddp/viz/two-sinks.svg")).startsWith("<svg").contains("</svg>").contains("PerProduct").contains("1 succeeded, 1 failed");
    }

    List<String> resume = new ArrayList<>(List.of("run", pipeline.toString(), "--var", "d=1", "--resume"));
    resume.addAll(outputs);
    resume.addAll(bucketConf(BUCKET));
    DdpCommandTest.Outcome second = ddp(resume.toArray(String[]::new));
    assertThat(second.code()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("reading committed [PerProduct]");
    assertThat(JSON.readTree(object(stateKeys.get(0))).get("status").asText()).isEqualTo("succeeded");
    assertThat(JSON.readTree(object("ddp/reports/two-sinks.json")).get("status").asText()).isEqualTo("succeeded");
    // The jsonl file on S3 kept the first run's lines: the second run's are added after them.
    String both = object("ddp/metrics/two-sinks.jsonl");
    assertThat(both).startsWith(metrics).hasSizeGreaterThan(metrics.length());
    assertThat(spark.read().parquet(dir.resolve("scaled").toString()).orderBy("product").collectAsList().toString())
        .isEqualTo("[[kettle,2.0], [lamp,1.0]]");
  }

  private static JsonNode readTree(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void wholeFileWritesReplaceOnS3AndOnHadoopsLocalFileSystem(@TempDir Path dir) throws Exception {
    Configuration conf = hadoop(BUCKET);
    String onS3 = "s3a://" + BUCKET + "/files/state.json";
    assertThat(DriverFiles.read(onS3, conf)).isEmpty();
    DriverFiles.write(onS3, "{\"v\": 1}", conf);
    DriverFiles.write(onS3, "{\"v\": 2}", conf);
    assertThat(DriverFiles.read(onS3, conf)).contains("{\"v\": 2}");

    String uri = dir.resolve("a b/state.json").toUri().toString();
    DriverFiles.write(uri, "one", new Configuration());
    DriverFiles.write(uri, "two", new Configuration());
    assertThat(Files.readString(dir.resolve("a b/state.json"))).isEqualTo("two");
    try (var files = Files.list(dir.resolve("a b"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))).containsExactly("state.json");
    }
    assertThat(DriverFiles.read(uri, new Configuration())).contains("two");
  }

  @Test
  void linesOnAnObjectStoreKeepWhatWasThereAndAreNotDuplicatedByARetry() throws Exception {
    Configuration conf = hadoop(BUCKET);
    String location = "s3a://" + BUCKET + "/lines/m.jsonl";
    client.putObject(b -> b.bucket(BUCKET).key("lines/m.jsonl"), RequestBody.fromString("{\"run\":0}\n"));
    LineStore store = DriverFiles.hadoopLines(location, conf);
    store.append("{\"run\":1,\"n\":1}\n");
    store.append("{\"run\":1,\"n\":2}\n");
    assertThat(object("lines/m.jsonl")).isEqualTo("{\"run\":0}\n{\"run\":1,\"n\":1}\n{\"run\":1,\"n\":2}\n");

    // A bucket that does not exist yet: the append fails, the publisher retries the same lines later.
    String bucket = "ddp-late";
    Configuration late = hadoop(bucket);
    LineStore retried = DriverFiles.hadoopLines("s3a://" + bucket + "/m.jsonl", late);
    assertThatThrownBy(() -> retried.append("{\"n\":1}\n")).isInstanceOf(Exception.class);
    client.createBucket(b -> b.bucket(bucket));
    retried.append("{\"n\":1}\n");
    retried.append("{\"n\":2}\n");
    assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("m.jsonl")).asUtf8String()).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
  }

  @Test
  void linesOnAFileSystemThatAppendsAreAppended(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "old\n");
    LineStore store = DriverFiles.hadoopLines(file.toUri().toString(), new Configuration());
    store.append("a\n");
    store.append("b\n");
    assertThat(Files.readString(file)).isEqualTo("old\na\nb\n");
  }

  @Test
  void locationsAreLocalOrForHadoop() {
    assertThat(DriverFiles.localPath(".ddp/state")).contains(Path.of(".ddp/state"));
    assertThat(DriverFiles.localPath("file:///tmp/a%20b")).contains(Path.of("/tmp/a b"));
    assertThat(DriverFiles.localPath("s3a://b/state")).isEqualTo(Optional.empty());
    assertThat(DriverFiles.resolve(".ddp/state", "p.json")).isEqualTo(Path.of(".ddp/state/p.json").toString());
    assertThat(DriverFiles.resolve("s3a://b/ddp/state/", "p.json")).isEqualTo("s3a://b/ddp/state/p.json");
    assertThat(DriverFiles.resolve("hdfs:///ddp/state", "p.json")).isEqualTo("hdfs:///ddp/state/p.json");
    assertThat(DriverFiles.resolve("file:///tmp/state", "p.json")).isEqualTo("file:///tmp/state/p.json");
  }
}
