package io.ddp.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.spark.testing.PipeTester;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The OnnxModel pipe with the real MiniLM model, embedding and scoring sentence pairs. */
@ExtendWith(SparkSessionExtension.class)
class OnnxModelPipeTest {
  static final String MINILM = "{\"model\": \"classpath:all-minilm-l6-v2-q.onnx\", \"tokenizer\": \"classpath:all-minilm-l6-v2-q-tokenizer.json\","
      + " \"textColumn\": \"%s\", \"inputs\": {\"input_ids\": \"tokenizer:input_ids\", \"attention_mask\": \"tokenizer:attention_mask\","
      + " \"token_type_ids\": \"tokenizer:token_type_ids\"}, \"outputs\": {\"last_hidden_state\": {\"column\": \"%s\", \"pooling\": \"mean\","
      + " \"normalize\": true}}, \"batchSize\": 4}";

  @TempDir
  Path dir;

  @Test
  void embedsEveryRowAndTheCosinesRankTheParaphrases(SparkSession spark) {
    Dataset<Row> pairs = spark.sql("SELECT * FROM VALUES"
        + " (1, 'A man is playing a guitar.', 'Someone plays the guitar.'),"
        + " (2, 'A man is playing a guitar.', 'Stock markets fell sharply on Monday.'),"
        + " (3, 'The cat sits on the mat.', 'A cat is sitting on a rug.'),"
        + " (4, 'The cat sits on the mat.', 'How do I renew my passport?'),"
        + " (5, 'Rain is expected tomorrow.', 'The forecast says it will rain tomorrow.'),"
        + " (6, 'Rain is expected tomorrow.', 'She bought a new laptop.') AS t(id, a, b)").repartition(3);
    Dataset<Row> left = PipeTester.of(spark).run("OnnxModel", String.format(MINILM, "a", "ea"), Map.of("Pairs", pairs));
    Dataset<Row> both = PipeTester.of(spark).run("OnnxModel", String.format(MINILM, "b", "eb"), Map.of("Left", left));
    assertThat(both.schema().fieldNames()).containsExactly("id", "a", "b", "ea", "eb");
    List<Row> scores = both.selectExpr("id", "aggregate(zip_with(ea, eb, (x, y) -> x * y), 0D, (s, v) -> s + v) AS cosine", "size(ea) AS dims")
        .orderBy("id").collectAsList();
    assertThat(scores).extracting(r -> r.getInt(2)).containsOnly(384);
    double[] c = scores.stream().mapToDouble(r -> r.getDouble(1)).toArray();
    assertThat(c[0]).isGreaterThan(0.7);
    assertThat(c[2]).isGreaterThan(0.6);
    assertThat(c[4]).isGreaterThan(0.7);
    assertThat(c[1]).isLessThan(0.25);
    assertThat(c[3]).isLessThan(0.25);
    assertThat(c[5]).isLessThan(0.25);
  }

  @Test
  void modelNamesThatDoNotMatchAreValidationErrorsNamingThePipe(SparkSession spark) throws Exception {
    Path p = dir.resolve("bad.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"S\", \"format\": \"memory\", \"location\": \"none\"}, {\"dataId\": \"E\"}],"
        + " \"transformers\": [{\"name\": \"embed\", \"inputDataId\": [\"S\"], \"transformerType\": \"OnnxModel\", \"outputDataId\": \"E\", \"params\":"
        + " {\"model\": \"classpath:all-minilm-l6-v2-q.onnx\", \"tokenizer\": \"classpath:all-minilm-l6-v2-q-tokenizer.json\", \"textColumn\": \"t\","
        + " \"inputs\": {\"ids\": \"tokenizer:input_ids\"}, \"outputs\": {\"sentence_embedding\": {\"column\": \"e\"}}}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).run())
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("pipe #1 'embed' (OnnxModel -> E): \"inputs\" declares [ids] but the model's inputs are"
            + " [attention_mask, input_ids, token_type_ids]")
        .hasMessageContaining("\"outputs\" declares 'sentence_embedding' but the model's outputs are [last_hidden_state]");
    Files.writeString(p, Files.readString(p).replace("\"outputs\"", "\"outputz\""));
    assertThatThrownBy(() -> PipelineTester.of(spark, p).run())
        .hasMessageContaining("unknown param 'outputz' (did you mean 'outputs'?)");
  }

  @Test
  void theModelIsLoadedOncePerJvmWhateverTheNumberOfTasks(SparkSession spark) {
    Dataset<Row> texts = spark.sql("SELECT id, concat('sentence ', id) AS t FROM range(0, 64)").repartition(8);
    int before = io.ddp.spark.scope.SparkScopes.instanceCount();
    Dataset<Row> out = PipeTester.of(spark).run("OnnxModel", String.format(MINILM, "t", "e").replace("\"batchSize\": 4", "\"batchSize\": 16"),
        Map.of("T", texts));
    assertThat(out.count()).isEqualTo(64);
    out.count();
    assertThat(io.ddp.spark.scope.SparkScopes.instanceCount() - before).as("one session for 8 tasks and 2 jobs").isLessThanOrEqualTo(1);
  }
}
