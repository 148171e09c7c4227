package io.ddp.examples.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** pipelines/matching.json on generated records: the links against the generator's truth. */
@ExtendWith(SparkSessionExtension.class)
class MatchingPipelineTest {
  @TempDir
  Path dir;

  @Test
  void linksThreeSourcesIntoEntities(SparkSession spark) throws Exception {
    Path in = dir.resolve("input");
    PeopleGenerator.write(6000, 11, in);
    RunResult result = PipelineTester.of(spark, Path.of("../pipelines/matching.json")).var("in", in.toString())
        .var("out", dir.resolve("out").toString()).writeSinks(true).run();
    Dataset<Row> entities = spark.read().parquet(dir.resolve("out/entities").toString());
    assertThat(entities.count()).isEqualTo(6000);
    Dataset<Row> truth = spark.read().option("header", "true").csv(in.resolve("truth.csv").toString());
    LinkQuality q = LinkQuality.of(entities, truth);
    System.out.println("matching 6000 records: " + q);
    assertThat(q.precision()).as(q.toString()).isGreaterThan(0.95);
    assertThat(q.recall()).as(q.toString()).isGreaterThan(0.95);
    java.util.Map<String, Double> metrics = new java.util.HashMap<>();
    result.metrics().forEach(m -> metrics.put(m.name(), m.value()));
    System.out.println("matching 6000 records: metrics " + metrics);
    assertThat(metrics).containsEntry("records", 6000.0);
    assertThat(metrics.get("candidatePairs")).isGreaterThan(metrics.get("matches"));
    assertThat(metrics.get("reductionRatio")).isEqualTo(1 - metrics.get("candidatePairs") / (6000.0 * 5999 / 2));
    assertThat(metrics.get("reductionRatio")).isGreaterThan(0.99);
    assertThat(metrics.get("entities")).isEqualTo((double) entities.select("entity_id").distinct().count());
    assertThat(metrics.get("largestCluster")).isEqualTo((double) entities.groupBy("entity_id").count().agg(
        org.apache.spark.sql.functions.max("count")).first().getLong(0));
  }
}
