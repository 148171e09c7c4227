package io.ddp.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ddp.examples.bench.baseline.NaiveMatching;
import io.ddp.examples.matching.PeopleGenerator;
import io.ddp.spark.exec.RunResult;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's naive approach applies the pipeline's own rules: every pair the pipeline matched
 * among its candidates, the naive cross join matches too, with the same score.
 */
@ExtendWith(SparkSessionExtension.class)
class NaiveMatchingTest {
  @Test
  void theNaiveCrossJoinScoresPairsAsThePipelineDoes(SparkSession spark, @TempDir Path dir) throws Exception {
    PeopleGenerator.write(1500, 5, dir.resolve("input"));
    RunResult upToScore = MatchingBenchmark.upTo(spark, Path.of("../pipelines/matching.json"), dir, "score");
    Dataset<Row> keyed = upToScore.captured().get("Keyed");
    Map<String, Double> ddp = new HashMap<>();
    for (Row r : upToScore.captured().get("Matches").select("left_id", "right_id", "score").collectAsList()) {
      ddp.put(r.getString(0) + "|" + r.getString(1), r.getDouble(2));
    }
    Map<String, Double> naive = new HashMap<>();
    for (Row r : NaiveMatching.matches(spark, keyed).collectAsList()) {
      naive.put(r.getString(0) + "|" + r.getString(1), r.getDouble(2));
    }
    assertThat(ddp).hasSizeGreaterThan(500);
    assertThat(naive.keySet()).containsAll(ddp.keySet());
    ddp.forEach((pair, score) -> assertThat(naive.get(pair)).as(pair).isCloseTo(score, within(1e-9)));
    // What blocking left out and the rules would match: few.
    assertThat(naive.size() - ddp.size()).isLessThan(ddp.size() / 20);
  }
}
