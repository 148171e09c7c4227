package io.ddp.examples.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pipelines/companies.json: the matching pipes on a schema of their own (companies), configured by
 * params only, with MiniLM embeddings for blocking (random hyperplanes) and scoring (cosine).
 */
@ExtendWith(SparkSessionExtension.class)
class CompaniesPipelineTest {
  @Test
  void variantsAreLinkedAndLookalikesKeptApart(SparkSession spark) {
    RunResult result = PipelineTester.of(spark, Path.of("..", "pipelines", "companies.json")).run();
    Map<Integer, Set<Integer>> entities = new TreeMap<>();
    for (Row r : result.captured().get("Linked").collectAsList()) {
      entities.computeIfAbsent(r.getInt(5), k -> new TreeSet<>()).add(r.getInt(0));
    }
    Map<String, Double> scores = new TreeMap<>();
    for (Row r : result.captured().get("Matches").select("left_id", "right_id", "score").collectAsList()) {
      scores.put(r.getInt(0) + "-" + r.getInt(1), r.getDouble(2));
    }
    String why = "matches and their scores: " + scores;
    // Acme Corporation / ACME Corp.; Globex International GmbH / Globex Intl; Blue Ocean Shipping
    // Company / Co; Northwind / North Wind; Müller Bäckerei / Mueller Baeckerei; Green Valley Organic
    // Farm / Farms Ltd; Smith & Sons / Smith and Sons Plumbing. Initech and Initrode (other VAT ids),
    // and Smith Brothers Roofing (same postcode) stay apart.
    assertThat(entities.values()).as(why).containsExactlyInAnyOrder(Set.of(1, 2), Set.of(3, 4), Set.of(5, 6), Set.of(7, 8), Set.of(9, 10),
        Set.of(11), Set.of(12), Set.of(13), Set.of(14), Set.of(15), Set.of(16, 17), Set.of(18, 19), Set.of(20));
    assertThat(result.metric("entities")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(13));
  }
}
