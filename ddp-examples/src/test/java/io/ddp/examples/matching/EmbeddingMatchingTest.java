package io.ddp.examples.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching by meaning: company names embedded by the real MiniLM model (the OnnxModel pipe), blocked
 * by random-hyperplane LSH over the embeddings, scored by cosine, linked into entities.
 */
@ExtendWith(SparkSessionExtension.class)
class EmbeddingMatchingTest {
  @TempDir
  Path dir;

  @Test
  void namesWrittenDifferentlyAreLinkedByTheirEmbeddings(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("companies.csv"), """
        id,name
        1,Acme Corporation
        2,ACME Corp.
        3,Globex International
        4,Globex Intl
        5,Blue Ocean Shipping Company
        6,Blue Ocean Shipping Co
        7,Northwind Traders
        8,North Wind Traders
        9,Golden Crust Bakery
        10,Quantum Software Solutions
        11,City Tax Advisors
        12,Green Valley Organic Farm
        """);
    Path pipeline = dir.resolve("companies.json");
    Files.writeString(pipeline, """
        {"name": "companies",
         "data": [
           {"dataId": "Companies", "location": "${in}", "format": "csv", "options": {"header": "true"}, "schema": "id INT, name STRING"},
           {"dataId": "Embedded"}, {"dataId": "Candidates"}, {"dataId": "Matches"}, {"dataId": "Entities"}],
         "transformers": [
           {"name": "embed", "inputDataId": ["Companies"], "transformerType": "OnnxModel", "outputDataId": "Embedded",
            "params": {"model": "classpath:all-minilm-l6-v2-q.onnx", "tokenizer": "classpath:all-minilm-l6-v2-q-tokenizer.json",
              "textColumn": "name",
              "inputs": {"input_ids": "tokenizer:input_ids", "attention_mask": "tokenizer:attention_mask", "token_type_ids": "tokenizer:token_type_ids"},
              "outputs": {"last_hidden_state": {"column": "vec", "pooling": "mean", "normalize": true}}}},
           {"name": "block", "inputDataId": ["Embedded"], "transformerType": "Block", "outputDataId": "Candidates",
            "params": {"id": "id", "strategies": [{"type": "hyperplane", "column": "vec", "bands": 16, "rows": 6, "name": "meaning"}]}},
           {"name": "score", "inputDataId": ["Candidates", "Embedded"], "transformerType": "ScorePairs", "outputDataId": "Matches",
            "params": {"id": "id", "threshold": 0.85, "fields": [{"column": "vec", "comparator": "cosine"}], "keep": "all"}},
           {"name": "link", "inputDataId": ["Matches"], "transformerType": "sql", "outputDataId": "Entities",
            "params": {"query": "SELECT left_id, right_id, score, match FROM Matches"}}]}
        """);
    RunResult result = PipelineTester.of(spark, pipeline).var("in", dir.resolve("companies.csv").toString()).run();
    Map<String, Double> scores = new TreeMap<>();
    Set<String> matched = new TreeSet<>();
    for (Row r : result.captured().get("Entities").collectAsList()) {
      String pair = r.getInt(0) + "-" + r.getInt(1);
      scores.put(pair, r.getDouble(2));
      if (r.getBoolean(3)) {
        matched.add(pair);
      }
    }
    System.out.println("embedding matching: candidates and scores " + scores);
    assertThat(matched).as("scores of the candidates: %s", scores).containsExactlyInAnyOrder("1-2", "3-4", "5-6", "7-8");
  }
}
