package io.ddp.spark.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Planner;
import io.ddp.spark.cli.DdpCommandTest;
import io.ddp.spark.exec.RunReport;
import io.ddp.spark.fixtures.LogCapture;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import io.ddp.viz.DagPicture;
import io.ddp.viz.RunView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and plaintext secrets never appear in logs, plans, pictures, metrics or run reports: encrypted
 * pipelines (record keys through KMS, dataset keys through the local keystore) run with log capture,
 * and everything they show is scanned for every master key, every data key the KMS handed out, the
 * keystore password and the plaintext values, in base64 and hex.
 */
@ExtendWith(SparkSessionExtension.class)
class SecretsScanTest {
  static final String SCHEMA = "id BIGINT, tenant STRING, email STRING, salary INT";

  @Test
  void noKeyOrPlaintextSecretShowsAnywhere(SparkSession spark, @TempDir Path dir) throws Exception {
    List<String> shown = new ArrayList<>();
    try (LogCapture captured = LogCapture.start("secrets-scan"); TestKeyServices keys = TestKeyServices.start(dir)) {
      StringBuilder csv = new StringBuilder("id,tenant,email,salary\n");
      for (int i = 1; i <= 50; i++) {
        csv.append(i).append(',').append(i % 2 == 0 ? "tenant-a" : "tenant-b").append(",secret").append(i).append("@example.com,")
            .append(7000 + i).append('\n');
      }
      Path people = Files.writeString(dir.resolve("people.csv"), csv.toString());
      String pipeline = "{\"name\": \"secrets\", \"data\": ["
          + "{\"dataId\": \"People\", \"location\": \"" + people + "\", \"schema\": \"" + SCHEMA + "\", \"options\": {\"header\": true}},"
          + "{\"dataId\": \"ByTenant\", \"location\": \"" + dir.resolve("by-tenant") + "\", \"format\": \"json\", \"mode\": \"overwrite\","
          + " \"schema\": \"" + SCHEMA + "\", \"encryption\": {\"mode\": \"record\", \"keyService\": \"testkms\","
          + " \"columns\": [\"email\", \"salary\"], \"keyIdColumn\": \"tenant\"}},"
          + "{\"dataId\": \"Whole\", \"location\": \"" + dir.resolve("whole") + "\", \"format\": \"parquet\", \"mode\": \"overwrite\","
          + " \"encryption\": {\"mode\": \"dataset\", \"keyService\": \"testlocal\", \"footerKeyId\": \"footer-local\","
          + " \"columnKeys\": {\"salary-local\": [\"email\"]}}}],"
          + " \"transformers\": ["
          + "{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"ByTenant\", \"params\": {\"query\": \"SELECT * FROM People\"}},"
          + "{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Whole\", \"params\": {\"query\": \"SELECT * FROM People\"}}],"
          + " \"metrics\": [{\"metricId\": \"people\", \"dataId\": \"ByTenant\", \"expression\": \"count(1)\", \"groupBy\": [\"tenant\"]},"
          + " {\"metricId\": \"salaries\", \"dataId\": \"Whole\", \"expression\": \"approx_count_distinct(email)\"}]}";
      Path file = Files.writeString(dir.resolve("secrets.json"), pipeline);
      RunResult written = PipelineTester.of(spark, file).writeSinks(true).run();

      // Read both back (decryption logs too), as a second pipeline would.
      String readBack = pipeline.replace("\"name\": \"secrets\"", "\"name\": \"secrets-read\"")
          .replace("{\"dataId\": \"People\", \"location\": \"" + people + "\", \"schema\": \"" + SCHEMA + "\", \"options\": {\"header\": true}},", "")
          .replaceAll("\"transformers\": \\[.*\\], \"metrics\"", "\"transformers\": [{\"inputDataId\": [\"ByTenant\", \"Whole\"],"
              + " \"transformerType\": \"sql\", \"outputDataId\": \"Joined\", \"params\": {\"query\":"
              + " \"SELECT b.email, w.salary FROM ByTenant b JOIN Whole w ON b.id = w.id\"}}], \"metrics\"")
          .replace("\"data\": [", "\"data\": [{\"dataId\": \"Joined\"},");
      Path readFile = Files.writeString(dir.resolve("read.json"), readBack);
      RunResult read = PipelineTester.of(spark, readFile).run();
      assertThat(read.captured().get("Joined").filter("email = 'secret2@example.com'").count()).isEqualTo(1);

      ExecutionPlan plan = Planner.plan(PipelineReader.read(file, Map.of()).pipeline());
      shown.add(DagPicture.dot(plan, RunView.EMPTY));
      shown.add(DdpCommandTest.ddp("plan", "--json", file.toString()).out());
      for (RunResult r : List.of(written, read)) {
        shown.add(RunReport.toJson(r, "succeeded", null).toString());
        shown.add(r.summary());
        r.metrics().forEach(m -> shown.add(m.toJson().toString()));
      }
      shown.add(captured.text());

      Map<String, byte[]> secrets = new LinkedHashMap<>();
      for (String id : List.of("tenant-a", "tenant-b", "footer", "salary")) {
        secrets.put("KMS master key " + id, keys.kms.key(id));
      }
      TestKeyServices.LOCAL_KEYS.forEach((id, b64) -> secrets.put("local key " + id, Base64.getDecoder().decode(b64)));
      for (int i = 0; i < keys.kms.issued.size(); i++) {
        secrets.put("data key #" + i, keys.kms.issued.get(i));
      }
      assertThat(keys.kms.issued).as("the runs used KMS data keys").isNotEmpty();
      List<String> texts = new ArrayList<>(List.of(TestKeyServices.KEYSTORE_PASSWORD, "secret2@example.com", "secret17@example.com"));
      String all = String.join("\n", shown);
      assertThat(all).contains("ByTenant").contains("encrypted (record)").contains("encrypted (dataset)");
      assertThat(captured.text()).as("the capture saw the runs").contains("ByTenant");
      for (Map.Entry<String, byte[]> s : secrets.entrySet()) {
        for (String form : List.of(Base64.getEncoder().encodeToString(s.getValue()), Base64.getUrlEncoder().withoutPadding()
            .encodeToString(s.getValue()), HexFormat.of().formatHex(s.getValue()), HexFormat.of().withUpperCase().formatHex(s.getValue()))) {
          assertThat(all).as(s.getKey()).doesNotContain(form);
        }
      }
      for (String text : texts) {
        assertThat(all).as("plaintext secret").doesNotContain(text);
      }
    }
    assertThat(new String(Files.readAllBytes(dir.resolve("people.csv")), StandardCharsets.UTF_8)).contains("secret2@example.com");
  }
}
