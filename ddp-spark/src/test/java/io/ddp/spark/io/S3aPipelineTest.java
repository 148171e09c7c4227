package io.ddp.spark.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.servers.S3ProxyServer;
import io.ddp.spark.exec.RunResult;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A pipeline reading csv from s3a and writing parquet to s3a, against a real S3 API (S3Proxy). */
@ExtendWith(SparkSessionExtension.class)
class S3aPipelineTest {
  static S3ProxyServer s3;
  static S3Client client;

  @BeforeAll
  static void startS3(@TempDir Path work) throws Exception {
    s3 = S3ProxyServer.start(work);
    client = s3.client();
    client.createBucket(b -> b.bucket("ddp-in"));
    client.createBucket(b -> b.bucket("ddp-out"));
    client.putObject(b -> b.bucket("ddp-in").key("reviews/reviews.csv"),
        RequestBody.fromString("id,product,stars\n1,kettle,5\n2,lamp,2\n3,kettle,4\n4,mouse,1\n"));
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
  void readsCsvFromS3aAndWritesParquetToS3a(SparkSession spark, @TempDir Path dir) throws Exception {
    String s3opts = "\"s3.endpoint\": \"${endpoint}\", \"s3.pathStyleAccess\": \"true\", \"s3.region\": \"us-east-1\","
        + " \"s3.accessKey\": \"${env:DDP_TEST_S3_KEY:-" + S3ProxyServer.ACCESS_KEY + "}\", \"s3.secretKey\": \"" + S3ProxyServer.SECRET_KEY + "\"";
    Path p = dir.resolve("s3.json");
    Files.writeString(p, "{\"name\": \"s3\", \"variables\": {\"endpoint\": \"" + s3.endpoint() + "\"}, \"data\": [\n"
        + "{\"dataId\": \"Reviews\", \"location\": \"s3a://ddp-in/reviews/reviews.csv\", \"schema\": \"id BIGINT, product STRING, stars INT\","
        + " \"options\": {\"header\": \"true\", " + s3opts + "}},\n"
        + "{\"dataId\": \"PerProduct\", \"location\": \"s3a://ddp-out/tables/per_product\", \"format\": \"parquet\", \"mode\": \"overwrite\","
        + " \"partitionBy\": [\"product\"], \"options\": {\"compression\": \"gzip\", " + s3opts + "}}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"Reviews\"], \"transformerType\": \"sql\", \"outputDataId\": \"PerProduct\","
        + " \"params\": {\"query\": \"SELECT product, count(*) AS reviews, avg(stars) AS stars FROM Reviews GROUP BY product\"}}]}");

    RunResult result = PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(result.sinks()).singleElement().satisfies(s -> assertThat(s.rows()).isEqualTo(3));

    List<String> keys = client.listObjectsV2(b -> b.bucket("ddp-out").prefix("tables/")).contents().stream()
        .map(S3Object::key).collect(Collectors.toList());
    assertThat(keys).anyMatch(k -> k.startsWith("tables/per_product/product=kettle/") && k.endsWith(".gz.parquet"));
    assertThat(keys).as("no staging left behind").noneMatch(k -> k.contains("ddp-staging"));

    Dataset<Row> back = spark.read().parquet("s3a://ddp-out/tables/per_product").select("product", "reviews", "stars");
    DataFrameAssertions.assertRows(back, List.of(RowFactory.create("kettle", 2L, 4.5), RowFactory.create("lamp", 1L, 2.0),
        RowFactory.create("mouse", 1L, 1.0)));

    // A second run overwrites atomically on S3 too.
    PipelineTester.of(spark, p).writeSinks(true).run();
    assertThat(spark.read().parquet("s3a://ddp-out/tables/per_product").count()).isEqualTo(3);
  }

  @Test
  void anOnnxModelOnS3IsShippedToTheExecutorsBySpark(SparkSession spark) throws Exception {
    client.createBucket(b -> b.bucket("ddp-models"));
    java.nio.file.Path model = io.ddp.ml.onnx.ModelFiles.local("classpath:all-minilm-l6-v2-q.onnx");
    java.nio.file.Path tokenizer = io.ddp.ml.onnx.ModelFiles.local("classpath:all-minilm-l6-v2-q-tokenizer.json");
    client.putObject(b -> b.bucket("ddp-models").key("minilm/model-v1.onnx"), RequestBody.fromFile(model));
    client.putObject(b -> b.bucket("ddp-models").key("minilm/tokenizer-v1.json"), RequestBody.fromFile(tokenizer));
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    s3.s3aBucketSettings("ddp-models", false).forEach(conf::set);

    String params = "{\"model\": \"s3a://ddp-models/minilm/model-v1.onnx\", \"sha256\": \"" + io.ddp.ml.onnx.ModelFiles.sha256(model) + "\","
        + " \"tokenizer\": \"s3a://ddp-models/minilm/tokenizer-v1.json\", \"textColumn\": \"text\","
        + " \"inputs\": {\"input_ids\": \"tokenizer:input_ids\", \"attention_mask\": \"tokenizer:attention_mask\","
        + " \"token_type_ids\": \"tokenizer:token_type_ids\"}, \"outputs\": {\"last_hidden_state\": {\"column\": \"e\","
        + " \"pooling\": \"mean\", \"normalize\": true}}}";
    Dataset<Row> texts = spark.sql("SELECT * FROM VALUES ('A man is playing a guitar.'), ('Someone plays the guitar.') AS t(text)");
    List<Row> out = io.ddp.spark.testing.PipeTester.of(spark).run("OnnxModel", params, java.util.Map.of("T", texts)).collectAsList();
    assertThat(out).hasSize(2);
    List<?> a = out.get(0).getList(1);
    List<?> b = out.get(1).getList(1);
    double cosine = 0;
    for (int i = 0; i < a.size(); i++) {
      cosine += ((Number) a.get(i)).doubleValue() * ((Number) b.get(i)).doubleValue();
    }
    assertThat(a).hasSize(384);
    assertThat(cosine).isGreaterThan(0.7);
  }
}
