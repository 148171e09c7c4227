package io.ddp.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.pipe.NoParams;
import io.ddp.spark.cli.DdpCommand;
import io.ddp.spark.exec.RunResult;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipeTester;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(SparkSessionExtension.class)
class QuickstartTest {
  static final Path QUICKSTART = Path.of("..", "pipelines", "quickstart.json");

  @Test
  void preprocessCleansAndTokenizes(SparkSession spark) {
    Dataset<Row> reviews = spark.sql("SELECT 7L AS review_id, 'Great KETTLE!!' AS title, 'Works   well, \"really\".' AS text");
    Dataset<Row> out = PipeTester.of(spark).run(new PreprocessPipe(),
        new PreprocessPipe.Params(List.of("title", "text")), Map.of("InputData", reviews));
    Row row = out.first();
    assertThat(row.getString(1)).isEqualTo("great kettle works well really");
    assertThat(row.getList(2)).containsExactly("great", "kettle", "works", "well", "really");
  }

  @Test
  void featuresCountShoutingAndExclamations(SparkSession spark) {
    Dataset<Row> reviews = spark.sql("SELECT 1L AS review_id, 'BAD!! bad' AS text");
    Dataset<Row> out = PipeTester.of(spark).run(new FeatureGenerationPipe(), new NoParams(), Map.of("InputData", reviews));
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create(1L, 9, 2, 0.5)));
  }

  @Test
  void theModelScoresPraiseHighAndComplaintsLow(SparkSession spark) {
    Dataset<Row> clean = spark.sql("SELECT * FROM VALUES (1L, 'love this kettle works flawlessly and looks great'),"
        + " (2L, 'terrible kettle broke after a week do not buy') AS t(review_id, clean_text)");
    Dataset<Row> features = spark.sql("SELECT * FROM VALUES (1L, 40, 0, 0.02D), (2L, 40, 0, 0.02D) AS t(review_id, text_length, exclamations, capital_ratio)");
    Map<String, Dataset<Row>> inputs = new java.util.LinkedHashMap<>();
    inputs.put("IntermediateData", clean);
    inputs.put("FeatureData", features);
    Dataset<Row> out = PipeTester.of(spark).run(new ModelPredictionPipe(), new ModelPredictionPipe.Params(0.5, null), inputs);
    List<Row> rows = out.orderBy("review_id").collectAsList();
    assertThat(rows.get(0).getDouble(1)).isGreaterThan(0.7);
    assertThat(rows.get(0).getString(2)).isEqualTo("positive");
    assertThat(rows.get(1).getDouble(1)).isLessThan(0.3);
    assertThat(rows.get(1).getString(2)).isEqualTo("negative");
  }

  @Test
  void quickstartEndToEndInMemory(SparkSession spark) {
    RunResult result = PipelineTester.of(spark, QUICKSTART).run();
    Dataset<Row> output = result.captured().get("OutputData");
    DataFrameAssertions.assertSchema(output, "review_id BIGINT, product_id STRING, rating INT, score DOUBLE, sentiment STRING,"
        + " agrees_with_rating BOOLEAN");
    assertThat(output.count()).isEqualTo(320);
    long rated = output.filter("agrees_with_rating IS NOT NULL").count();
    long agreeing = output.filter("agrees_with_rating").count();
    assertThat(rated).isGreaterThan(250);
    assertThat((double) agreeing / rated).as("sentiment agrees with star ratings").isGreaterThan(0.9);
    assertThat(output.filter("score < 0 OR score > 1").count()).isZero();
    assertThat(result.pipes()).extracting(RunResult.PipeOutcome::index).containsExactly(1, 2, 3, 4);
  }

  @Test
  void quickstartThroughTheCommandLineWritesCsv(SparkSession spark, @TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("run", QUICKSTART.toString(), "--var", "out=" + dir);
    assertThat(code).as(err.toString()).isZero();
    Path written = dir.resolve("scored_reviews");
    assertThat(out.toString()).contains("quickstart succeeded").contains("OutputData: 320 rows -> " + written);
    Dataset<Row> csv = spark.read().option("header", "true").csv(written.toString());
    assertThat(Arrays.asList(csv.columns())).containsExactly("review_id", "product_id", "rating", "score", "sentiment", "agrees_with_rating");
    assertThat(csv.count()).isEqualTo(320);
  }
}
