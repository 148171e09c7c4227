package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddp show}: any dataset's schema and first rows, computed from its ancestors only, writing nothing. */
@ExtendWith(SparkSessionExtension.class)
class ShowCommandTest {
  @TempDir
  Path dir;

  Path pipeline;

  @BeforeEach
  void write() throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,country,amount\n1,fr,10.5\n2,de,20\n3,fr,oops\n4,it,7.25\n5,fr,1\n");
    pipeline = Files.writeString(dir.resolve("orders.json"), "{\"name\": \"orders\", \"data\": ["
        + "{\"dataId\": \"Orders\", \"location\": \"${pipeline.dir}/orders.csv\", \"schema\": \"id BIGINT, country STRING, amount DOUBLE\","
        + " \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Big\"},"
        + "{\"dataId\": \"PerCountry\", \"location\": \"${pipeline.dir}/out/per_country\", \"format\": \"parquet\", \"mode\": \"overwrite\"},"
        + "{\"dataId\": \"Other\", \"location\": \"${pipeline.dir}/out/other\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": ["
        + "{\"inputDataId\": [\"Orders\"], \"transformerType\": \"sql\", \"outputDataId\": \"Big\","
        + " \"params\": {\"query\": \"SELECT id, country, amount FROM Orders WHERE amount > 5\"}},"
        + "{\"inputDataId\": [\"Big\"], \"transformerType\": \"sql\", \"outputDataId\": \"PerCountry\","
        + " \"params\": {\"query\": \"SELECT country, sum(amount) AS total FROM Big GROUP BY country ORDER BY country\"}},"
        + "{\"inputDataId\": [\"Orders\"], \"transformerType\": \"sql\", \"outputDataId\": \"Other\","
        + " \"params\": {\"query\": \"SELECT raise_error('this pipe must not run') AS x FROM Orders\"}}]}");
  }

  private List<String> files() throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void aSinkIsComputedFromItsAncestorsOnlyAndNothingIsWritten() throws Exception {
    List<String> before = files();
    DdpCommandTest.Outcome o = ddp("show", pipeline.toString(), "PerCountry");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("PerCountry:\nroot\n |-- country: string (nullable = true)\n |-- total: double (nullable = true)\n")
        .contains("| country | total |")
        .contains("| de      | 20.0  |")
        .contains("| fr      | 10.5  |")
        .contains("| it      | 7.25  |")
        .contains("3 rows")
        .contains("(1 malformed source rows are not shown; ddp run quarantines them)");
    assertThat(files()).as("no sink, no quarantine, no state, no report").isEqualTo(before);
  }

  @Test
  void anIntermediateAndASourceAreShownWithALimit() throws Exception {
    DdpCommandTest.Outcome big = ddp("show", pipeline.toString(), "Big", "--limit", "2");
    assertThat(big.code()).as(big.err()).isZero();
    assertThat(big.out()).contains("| id | country | amount |").contains("| 1  | fr      | 10.5   |")
        .contains("2 rows shown (more exist; --limit N to show more)");

    List<String> before = files();
    DdpCommandTest.Outcome source = ddp("show", pipeline.toString(), "Orders");
    assertThat(source.code()).as(source.err()).isZero();
    assertThat(source.out()).contains(" |-- amount: double").contains("| 5  | fr      | 1.0    |").contains("4 rows")
        .contains("1 malformed source rows are not shown");
    assertThat(files()).as("the source's quarantine is not written").isEqualTo(before);
  }

  @Test
  void anUnknownDatasetGetsADidYouMean() {
    DdpCommandTest.Outcome o = ddp("show", pipeline.toString(), "PerCountri");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("the pipeline declares no dataset 'PerCountri' (did you mean 'PerCountry'?)");
  }

  @Test
  void aNegativeLimitAndAMissingSourceAreRefusedBeforeAnythingRuns() throws Exception {
    DdpCommandTest.Outcome negative = ddp("show", pipeline.toString(), "Big", "--limit", "-1");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("ddp show: --limit must be 0 or more, not -1");

    Files.delete(dir.resolve("orders.csv"));
    List<String> before = files();
    DdpCommandTest.Outcome missing = ddp("show", pipeline.toString(), "PerCountry");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("ddp show: ").contains("orders.csv");
    assertThat(files()).isEqualTo(before);
  }
}
