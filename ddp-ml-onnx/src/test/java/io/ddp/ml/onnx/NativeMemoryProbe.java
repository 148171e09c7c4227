package io.ddp.ml.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures the resident set growth of batches of MiniLM inference, in a JVM of its own whose heap is
 * fixed and touched up front ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}): heap growth cannot
 * show up in the resident set, so what grows is native memory (ONNX Runtime, the tokenizer, malloc).
 * Prints {@code grewKb=N}.
 *
 * <p>Modes: {@code model} runs {@link OnnxModel#infer}; {@code leak} runs the same model through a
 * bare ONNX Runtime session and never closes the inputs or the result, the leak the first mode must
 * not have. The test runs both, so it also shows that the probe sees such a leak.
 */
public final class NativeMemoryProbe {
  static final int BATCH = 32;

  private NativeMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int warmup = Integer.parseInt(args[1]);
    int batches = Integer.parseInt(args[2]);
    Runnable batch = "leak".equals(mode) ? leakingBatch() : modelBatch();
    for (int i = 0; i < warmup; i++) {
      batch.run();
    }
    long before = rssKb();
    for (int i = 0; i < batches; i++) {
      batch.run();
    }
    long after = rssKb();
    System.out.println("grewKb=" + (after - before));
  }

  static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      texts.add("Sentence number " + i + " about DDP pipelines running models inside Spark executors.");
    }
    return texts;
  }

  private static Runnable modelBatch() {
    OnnxModel model = OnnxModel.load(OnnxModelTest.minilm());
    List<String> texts = texts();
    return () -> model.infer(texts, Map.of());
  }

  private static Runnable leakingBatch() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] bytes;
    try (InputStream in = NativeMemoryProbe.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
      bytes = in.readAllBytes();
    }
    OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions());
    int tokens = 20;
    long[][] ids = new long[BATCH][tokens];
    long[][] mask = new long[BATCH][tokens];
    long[][] types = new long[BATCH][tokens];
    for (int r = 0; r < BATCH; r++) {
      for (int t = 0; t < tokens; t++) {
        ids[r][t] = t == 0 ? 101 : t == tokens - 1 ? 102 : 2000 + r + t;
        mask[r][t] = 1;
      }
    }
    List<Object> kept = new ArrayList<>();
    return () -> {
      try {
        Map<String, OnnxTensor> inputs = Map.of("input_ids", OnnxTensor.createTensor(env, ids),
            "attention_mask", OnnxTensor.createTensor(env, mask), "token_type_ids", OnnxTensor.createTensor(env, types));
        kept.add(session.run(inputs));
        kept.add(inputs);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
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
