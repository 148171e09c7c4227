package io.ddp.ml.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real MiniLM sentence-embedding model (int8, from Maven Central) through ONNX Runtime. */
class OnnxModelTest {
  static final Map<String, String> TOKENIZER_INPUTS = Map.of("input_ids", "tokenizer:input_ids",
      "attention_mask", "tokenizer:attention_mask", "token_type_ids", "tokenizer:token_type_ids");

  static OnnxSpec minilm() {
    return new OnnxSpec("classpath:all-minilm-l6-v2-q.onnx", null, "classpath:all-minilm-l6-v2-q-tokenizer.json", "text", 128,
        TOKENIZER_INPUTS, Map.of("last_hidden_state", new OnnxSpec.Output("embedding", "mean", true)), 32, 1);
  }

  static OnnxModel model;

  @BeforeAll
  static void load() {
    model = OnnxModel.load(minilm());
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  static float[] embed(String text) {
    return (float[]) model.infer(List.of(text), Map.of()).get("embedding").get(0);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  void embeddingsAreUnitVectorsWhoseCosinesRankMeaning() {
    float[] guitar = embed("A man is playing a guitar.");
    float[] guitar2 = embed("Someone plays the guitar.");
    float[] cooking = embed("A woman is slicing vegetables in the kitchen.");
    float[] market = embed("Stock markets fell sharply on Monday.");
    assertThat(guitar).hasSize(384);
    assertThat(cosine(guitar, guitar)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(cosine(guitar, guitar2)).as("paraphrases").isGreaterThan(0.7);
    assertThat(cosine(guitar, cooking)).as("unrelated activities").isBetween(-0.1, 0.4);
    assertThat(cosine(guitar, market)).as("unrelated topics").isBetween(-0.2, 0.25);
    assertThat(cosine(guitar, guitar2)).isGreaterThan(cosine(guitar, cooking) + 0.4);
  }

  @Test
  void aBatchGivesTheSameVectorsAsSingleCallsWithinQuantisationNoise() {
    List<String> texts = List.of("short", "A much longer sentence with many more tokens than the first one has.", "medium length text");
    List<Object> batch = model.infer(texts, Map.of()).get("embedding");
    for (int i = 0; i < texts.size(); i++) {
      assertThat(cosine((float[]) batch.get(i), embed(texts.get(i)))).as(texts.get(i)).isGreaterThan(0.97);
    }
  }

  @Test
  void declaredNamesThatDoNotMatchTheModelAreListedWithTheRealOnes() {
    OnnxSpec wrong = new OnnxSpec("classpath:all-minilm-l6-v2-q.onnx", null, "classpath:all-minilm-l6-v2-q-tokenizer.json", "text", 128,
        Map.of("input_ids", "tokenizer:input_ids", "mask", "tokenizer:attention_mask"),
        Map.of("pooler_output", new OnnxSpec.Output("embedding", "none", false)), 8, 1);
    try (OnnxModel m = OnnxModel.load(wrong)) {
      assertThat(m.mismatches()).containsExactly(
          "\"inputs\" declares [input_ids, mask] but the model's inputs are [attention_mask, input_ids, token_type_ids]",
          "\"outputs\" declares 'pooler_output' but the model's outputs are [last_hidden_state]");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> OnnxModel.load(new OnnxSpec("classpath:all-minilm-l6-v2-q.onnx", "00ff", null, null, null,
        Map.of("x", "col"), Map.of("y", new OnnxSpec.Output("z", null, null)), null, null)))
        .hasMessageContaining("has SHA-256 ").hasMessageContaining("not the declared 00ff");
  }

  @Test
  void manyBatchesDoNotGrowNativeMemory() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      texts.add("Sentence number " + i + " about DDP pipelines running models inside Spark executors.");
    }
    for (int i = 0; i < 30; i++) {
      model.infer(texts, Map.of());
    }
    long before = rssKb();
    for (int i = 0; i < 300; i++) {
      model.infer(texts, Map.of());
    }
    long after = rssKb();
    System.out.printf("resident memory before %d MB, after 300 more batches of 32: %d MB%n", before / 1024, after / 1024);
    assertThat(after - before).as("resident set growth over 9,600 embeddings, in KB").isLessThan(64 * 1024);
  }

  static long rssKb() throws Exception {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
