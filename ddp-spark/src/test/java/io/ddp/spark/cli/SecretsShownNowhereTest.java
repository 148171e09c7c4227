package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.fixtures.LogCapture;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDBC sink whose URL holds a password, written once successfully and once failing, in runs given
 * secret {@code --conf} and {@code --var} values: no secret shows in the output, the logs, the run
 * state, the run report, {@code --dry-run} or the DAG picture.
 */
@ExtendWith(SparkSessionExtension.class)
class SecretsShownNowhereTest {
  static final List<String> SECRETS = List.of("Url-Pa55word-9", "S3-Secret-Key-3", "Var-Token-5");

  @TempDir
  Path dir;

  private Path pipeline(String table, String mode) throws Exception {
    Path csv = Files.writeString(dir.resolve("people.csv"), "id,name\n1,ada\n2,grace\n");
    String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath() + ";PASSWORD=Url-Pa55word-9";
    return Files.writeString(dir.resolve("p-" + table + ".json"), "{\"name\": \"secret-" + table + "\", \"data\": ["
        + "{\"dataId\": \"People\", \"location\": \"" + csv + "\", \"format\": \"csv\", \"schema\": \"id BIGINT, name STRING\","
        + " \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Out\", \"format\": \"jdbc\", \"location\": \"" + url + "\", \"mode\": \"" + mode + "\","
        + " \"options\": {\"dbtable\": \"" + table + "\", \"user\": \"ddp\"}}],"
        + " \"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
  }

  @Test
  void noSecretInAnythingARunShows(SparkSession spark) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.resolve("db").toAbsolutePath(), "ddp", "Url-Pa55word-9")) {
      c.createStatement().execute("CREATE TABLE taken (id BIGINT, name VARCHAR(20))");
    }
    List<String> shown = new ArrayList<>();
    try (LogCapture logs = LogCapture.start("secrets-shown")) {
      String[] secretArgs = {"--conf", "spark.hadoop.fs.s3a.secret.key=S3-Secret-Key-3", "--var", "api_token=Var-Token-5",
          "--state-dir", dir.resolve("state").toString()};
      Path ok = pipeline("people_out", "overwrite");
      DdpCommandTest.Outcome succeeded = ddp(concat(new String[] {"run", ok.toString(), "--report", dir.resolve("ok.json").toString()},
          secretArgs));
      assertThat(succeeded.code()).as(succeeded.err()).isZero();
      shown.add(succeeded.out() + succeeded.err());

      Path failing = pipeline("taken", "errorIfExists");
      DdpCommandTest.Outcome failed = ddp(concat(new String[] {"run", failing.toString(), "--report",
          dir.resolve("failed.json").toString()}, secretArgs));
      assertThat(failed.code()).isEqualTo(DdpCommand.EXIT_FAILED);
      assertThat(failed.err()).contains("--resume").contains("spark.hadoop.fs.s3a.secret.key=***").contains("api_token=***")
          .contains("secret values are shown as ***");
      shown.add(failed.out() + failed.err());

      DdpCommandTest.Outcome dry = ddp("run", ok.toString(), "--dry-run");
      assertThat(dry.out()).contains("write  Out (jdbc");
      shown.add(dry.out() + dry.err());
      DdpCommandTest.Outcome viz = ddp("viz", ok.toString(), "-o", dir.resolve("dag.dot").toString());
      assertThat(viz.code()).as(viz.err()).isZero();
      shown.add(Files.readString(dir.resolve("dag.dot")));
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString()
            .startsWith("p-") || f.startsWith(dir.resolve("state"))).toList()) {
          shown.add(Files.readString(f));
        }
      }
      assertThat(String.join("\n", shown)).contains("PASSWORD=***");
      shown.add(logs.text());
    }
    String all = String.join("\n", shown);
    for (String secret : SECRETS) {
      assertThat(all).as("shown somewhere: " + secret).doesNotContain(secret);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
