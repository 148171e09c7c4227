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

  /**
   * 300 batches of 32 embeddings must not grow native memory. Measured in a JVM of its own whose heap
   * is fixed and pre-touched, so the JVM's heap growth cannot count (it did in the resident set of the
   * test JVM, and failed the bound by chance). A leak of the kind this guards against (results never
   * closed) grows about 1 MB per batch; the same probe over that leak must see it, so the measurement
   * can neither fail nor pass by chance.
   */
  @Test
  void manyBatchesDoNotGrowNativeMemory() throws Exception {
    long clean = probe("model");
    long leaking = probe("leak");
    System.out.printf("native memory growth over 300 batches of 32: OnnxModel %d MB, unclosed results %d MB%n", clean / 1024,
        leaking / 1024);
    assertThat(leaking).as("the probe sees a leak of unclosed results (KB)").isGreaterThan(150 * 1024);
    assertThat(clean).as("resident set growth over 9,600 embeddings with a fixed heap (KB)").isLessThan(48 * 1024);
  }

  private static long probe(String mode) throws Exception {
    Path out = Files.createTempFile("ddp-native-probe", ".log");
    // The class path goes through an argument file: a long command line crashes ONNX Runtime's native
    // initialisation (SIGSEGV), as the ddp launcher notes.
    Path args = Files.createTempFile("ddp-native-probe", ".args");
    try {
      Files.writeString(args, "-cp\n\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
      ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "@" + args,
          NativeMemoryProbe.class.getName(), mode, "30", "300"))
          .redirectErrorStream(true).redirectOutput(out.toFile());
      // Fewer malloc arenas: native allocations from two threads do not each reserve one of their own.
      pb.environment().put("MALLOC_ARENA_MAX", "2");
      Process p = pb.start();
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("the native memory probe (" + mode + ") did not finish in 5 minutes: " + Files.readString(out));
      }
      String text = Files.readString(out);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("grewKb=(-?\\d+)").matcher(text);
      assertThat(p.exitValue()).as("probe exit code; output:%n%s", text).isZero();
      assertThat(m.find()).as("probe output:%n%s", text).isTrue();
      return Long.parseLong(m.group(1));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(args);
    }
  }
}
