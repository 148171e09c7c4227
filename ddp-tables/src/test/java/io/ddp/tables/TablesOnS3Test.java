package io.ddp.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import io.ddp.testing.servers.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Delta and Iceberg tables on s3a, against a real S3 API (S3Proxy on 127.0.0.1): create, merge, read back. */
@ExtendWith(SparkSessionExtension.class)
class TablesOnS3Test {
  static S3ProxyServer s3;
  static S3Client client;

  @BeforeAll
  static void startS3(@TempDir Path work) throws Exception {
    s3 = S3ProxyServer.start(work);
    client = s3.client();
    client.createBucket(b -> b.bucket("lake"));
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

  @ParameterizedTest
  @ValueSource(strings = {"delta", "iceberg"})
  void aTableOnS3IsCreatedMergedAndReadBack(String format, SparkSession spark, @TempDir Path dir) throws Exception {
    String location = "s3a://lake/warehouse/customers_" + format;
    String schema = "id BIGINT, city STRING, op STRING";
    String sink = "{\"dataId\": \"Customers\", \"location\": \"" + location + "\", \"format\": \"" + format + "\", \"mode\": \"merge\","
        + " \"schema\": \"" + schema + "\", \"merge\": {\"keys\": [\"id\"], \"deleteWhen\": \"source.op = 'D'\"},"
        + " \"options\": {" + s3.datasetOptionsJson() + "}}";
    List<String> batches = List.of("id,city,op\n1,paris,U\n2,oslo,U\n3,rome,U\n", "id,city,op\n2,bergen,U\n3,rome,D\n4,lima,U\n");
    for (int i = 0; i < batches.size(); i++) {
      Path csv = dir.resolve("batch" + i + ".csv");
      Files.writeString(csv, batches.get(i));
      Path p = dir.resolve("p" + i + ".json");
      Files.writeString(p, "{\"name\": \"s3-" + format + "\", \"data\": [{\"dataId\": \"In\", \"location\": \"" + csv + "\", \"schema\": \""
          + schema + "\", \"options\": {\"header\": true}}, " + sink + "], \"transformers\": [{\"inputDataId\": [\"In\"],"
          + " \"transformerType\": \"sql\", \"outputDataId\": \"Customers\", \"params\": {\"query\": \"SELECT * FROM In\"}}]}");
      PipelineTester.of(spark, p).writeSinks(true).run();
    }
    Path read = dir.resolve("read.json");
    Files.writeString(read, "{\"name\": \"read\", \"data\": [{\"dataId\": \"Now\", \"location\": \"" + location + "\", \"format\": \""
        + format + "\", \"options\": {" + s3.datasetOptionsJson() + "}}, {\"dataId\": \"Out\", \"format\": \"memory\", \"location\": \"s3-"
        + format + "\", \"mode\": \"overwrite\"}], \"transformers\": [{\"inputDataId\": [\"Now\"], \"transformerType\": \"sql\","
        + " \"outputDataId\": \"Out\", \"params\": {\"query\": \"SELECT id, city FROM Now\"}}]}");
    PipelineTester.of(spark, read).writeSinks(true).run();
    List<Row> rows = io.ddp.io.MemoryFormat.get("s3-" + format).orderBy("id").collectAsList();
    io.ddp.io.MemoryFormat.remove("s3-" + format);
    assertThat(rows).containsExactly(RowFactory.create(1L, "paris"), RowFactory.create(2L, "bergen"), RowFactory.create(4L, "lima"));
    List<String> keys = client.listObjectsV2(b -> b.bucket("lake").prefix("warehouse/customers_" + format + "/")).contents().stream()
        .map(S3Object::key).toList();
    assertThat(keys).as("the table's own log or metadata on S3")
        .anyMatch(k -> k.contains(format.equals("delta") ? "/_delta_log/" : "/metadata/"));
  }
}
