package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SparkSessionExtension;
import io.ddp.testing.servers.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Pipeline files given as local paths, {@code file:} and {@code local:} URIs, or read through Hadoop from S3. */
@ExtendWith(SparkSessionExtension.class)
class PipelineSourceTest {
  static S3ProxyServer s3;
  static S3Client client;

  @BeforeAll
  static void startS3(@TempDir Path work) throws Exception {
    s3 = S3ProxyServer.start(work);
    client = s3.client();
    client.createBucket(b -> b.bucket("ddp-pipelines"));
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

  @Test
  void localFormsAreLocalFilesAndOtherSchemesAreNot() {
    assertThat(PipelineSource.of("pipelines/p.json").local()).contains(Path.of("pipelines/p.json"));
    assertThat(PipelineSource.of("./p v2.json").identity()).isEqualTo(Path.of("p v2.json").toAbsolutePath().toString());
    assertThat(PipelineSource.of("local:///opt/ddp/p.json").local()).contains(Path.of("/opt/ddp/p.json"));
    assertThat(PipelineSource.of("file:///tmp/a%20b/p.json").local()).contains(Path.of("/tmp/a b/p.json"));
    assertThat(PipelineSource.of("file:/tmp/p.json").local()).contains(Path.of("/tmp/p.json"));
    assertThat(PipelineSource.of("C:\\pipelines\\p.json").local()).isPresent();
    for (String remote : List.of("s3a://bucket/p/p.json", "s3://bucket/p.json", "hdfs:///pipelines/p.json",
        "abfss://c@account.dfs.core.windows.net/p.json", "gs://bucket/p.json")) {
      assertThat(PipelineSource.of(remote).local()).as(remote).isEqualTo(Optional.empty());
      assertThat(PipelineSource.of(remote).identity()).isEqualTo(remote);
    }
  }

  @Test
  void aPipelineOnS3IsReadThroughHadoopWithItsDirectoryAsPipelineDir(SparkSession spark, @TempDir Path dir) throws Exception {
    String s3opts = s3.datasetOptionsJson();
    client.putObject(b -> b.bucket("ddp-pipelines").key("jobs/scoring/reviews.csv"),
        RequestBody.fromString("id,product,stars\n1,kettle,5\n2,lamp,2\n3,kettle,4\n"));
    client.putObject(b -> b.bucket("ddp-pipelines").key("jobs/scoring/per-product.json"), RequestBody.fromString(
        "{\"data\": [\n"
            + "{\"dataId\": \"Reviews\", \"location\": \"${pipeline.dir}/reviews.csv\", \"format\": \"csv\","
            + " \"schema\": \"id BIGINT, product STRING, stars INT\", \"options\": {\"header\": \"true\", " + s3opts + "}},\n"
            + "{\"dataId\": \"PerProduct\", \"location\": \"${out}\", \"format\": \"json\", \"mode\": \"overwrite\"}],\n"
            + "\"transformers\": [{\"inputDataId\": [\"Reviews\"], \"transformerType\": \"sql\", \"outputDataId\": \"PerProduct\","
            + " \"params\": {\"query\": \"SELECT product, count(*) AS n FROM Reviews GROUP BY product\"}}]}"));
    // The pipeline file itself is read with the run's spark.hadoop.* settings (as spark-submit's --conf would give).
    List<String> conf = s3.s3aBucketConfArgs("ddp-pipelines", false);
    Path out = dir.resolve("per-product");
    List<String> args = new java.util.ArrayList<>(List.of("run", "s3a://ddp-pipelines/jobs/scoring/per-product.json",
        "--var", "out=" + out, "--state-dir", dir.resolve("state").toString()));
    args.addAll(conf);
    DdpCommandTest.Outcome o = ddp(args.toArray(String[]::new));
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(spark.read().json(out.toString()).select("product", "n").orderBy("product").collectAsList().toString())
        .isEqualTo("[[kettle,2], [lamp,1]]");

    List<String> missing = new java.util.ArrayList<>(List.of("run", "s3a://ddp-pipelines/jobs/nope.json", "--state-dir",
        dir.resolve("state").toString()));
    missing.addAll(conf);
    DdpCommandTest.Outcome absent = ddp(missing.toArray(String[]::new));
    assertThat(absent.code()).isEqualTo(2);
    assertThat(absent.err()).contains("Cannot read pipeline s3a://ddp-pipelines/jobs/nope.json: no such file");
  }

  @Test
  void aLocalUriRunsLikeItsPath(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id\n1\n2\n");
    Path file = dir.resolve("p.json");
    Files.writeString(file, "{\"data\": [{\"dataId\": \"In\", \"location\": \"${pipeline.dir}/in.csv\", \"format\": \"csv\","
        + " \"schema\": \"id INT\", \"options\": {\"header\": \"true\"}}, {\"dataId\": \"Out\", \"location\": \"${pipeline.dir}/out\","
        + " \"format\": \"csv\"}], \"transformers\": [{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id * 2 AS id FROM In\"}}]}");
    assertThat(ddp("validate", "local://" + file).code()).isZero();
    DdpCommandTest.Outcome o = ddp("run", file.toUri().toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(Files.list(dir.resolve("out")).anyMatch(f -> f.getFileName().toString().startsWith("part-"))).isTrue();
  }
}
