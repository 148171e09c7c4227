package io.ddp.examples.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pipelines/similarity.json: MiniLM embeddings inside Spark, cosine per sentence pair. */
@ExtendWith(SparkSessionExtension.class)
class SimilarityPipelineTest {
  @Test
  void paraphrasesScoreHighAndUnrelatedPairsLow(SparkSession spark) {
    RunResult result = PipelineTester.of(spark, Path.of("..", "pipelines", "similarity.json")).run();
    List<Row> scores = result.captured().get("Scores").orderBy("pair_id").collectAsList();
    assertThat(scores).hasSize(10);
    for (Row r : scores) {
      double cosine = r.getDouble(3);
      if (r.getInt(0) % 2 == 1) {
        assertThat(cosine).as("paraphrase %s / %s", r.getString(1), r.getString(2)).isGreaterThan(0.7);
      } else {
        assertThat(cosine).as("unrelated %s / %s", r.getString(1), r.getString(2)).isBetween(-0.2, 0.2);
      }
    }
    assertThat(result.metric("pairs")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(10));
    assertThat(result.metric("similarPairs")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(5));
  }
}
