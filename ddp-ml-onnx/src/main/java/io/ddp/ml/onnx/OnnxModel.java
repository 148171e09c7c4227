package io.ddp.ml.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ddp.core.exceptions.DdpException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A loaded model: one ONNX Runtime session (intra-op threads as declared, spinning off) and its
 * tokenizer. Thread-safe: task threads call {@link #infer} concurrently on the one instance their
 * executor JVM holds; every tensor and result is closed after each call.
 */
public final class OnnxModel implements AutoCloseable {
  private final OnnxSpec spec;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;

  private OnnxModel(OnnxSpec spec, OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer) {
    this.spec = spec;
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
  }

  /**
   * Loads the model and tokenizer of a spec on this JVM. Its {@link OnnxSpec#instanceKey()} names
   * what may be shared: the files and session settings, not the input and output mapping.
   *
   * @throws DdpException when a file is missing, the SHA-256 differs, or ONNX Runtime rejects the model
   */
  public static OnnxModel load(OnnxSpec spec) {
    return load(spec, ModelFiles::local);
  }

  /**
   * Loads as {@link #load(OnnxSpec)}, with the platform's way to find a model or tokenizer location on
   * this JVM (Spark: a remote file is fetched through its file distribution).
   *
   * @param files a location as declared to a local file
   */
  public static OnnxModel load(OnnxSpec spec, java.util.function.Function<String, Path> files) {
    long t0 = System.nanoTime();
    Path file = files.apply(spec.model());
    if (spec.sha256() != null) {
      String actual = ModelFiles.sha256(file);
      if (!actual.equalsIgnoreCase(spec.sha256())) {
        throw new DdpException("model " + spec.model() + " has SHA-256 " + actual + ", not the declared " + spec.sha256()
            + "; the file changed or the declaration is out of date");
      }
    }
    long t1 = System.nanoTime();
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(spec.intraOpThreads());
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      OrtSession session = env.createSession(file.toString(), options);
      long t2 = System.nanoTime();
      HuggingFaceTokenizer tokenizer = null;
      if (spec.tokenizer() != null) {
        tokenizer = HuggingFaceTokenizer.newInstance(files.apply(spec.tokenizer()),
            Map.of("padding", "true", "truncation", "true", "maxLength", String.valueOf(spec.maxLength())));
      }
      long t3 = System.nanoTime();
      ModelLoads.record(new ModelLoads.Load(spec.model(), t0, java.time.Duration.ofNanos(t1 - t0), java.time.Duration.ofNanos(t2 - t1),
          java.time.Duration.ofNanos(t3 - t2)));
      return new OnnxModel(spec, env, session, tokenizer);
    } catch (OrtException | java.io.IOException e) {
      throw new DdpException("Cannot load model " + spec.model() + ": " + e.getMessage(), e);
    }
  }

  public Set<String> inputNames() {
    return new TreeSet<>(session.getInputNames());
  }

  public Set<String> outputNames() {
    return new TreeSet<>(session.getOutputNames());
  }

  /**
   * Problems with the spec against this model's real inputs and outputs, one sentence each, naming
   * the declared names and the model's.
   */
  public List<String> mismatches() {
    return mismatches(spec);
  }

  /** Like {@link #mismatches()}, for another pipe's mapping onto this loaded model. */
  public List<String> mismatches(OnnxSpec spec) {
    List<String> out = new ArrayList<>();
    Set<String> inputs = inputNames();
    Set<String> outputs = outputNames();
    if (!inputs.equals(new TreeSet<>(spec.inputs().keySet()))) {
      out.add("\"inputs\" declares " + new TreeSet<>(spec.inputs().keySet()) + " but the model's inputs are " + inputs);
    }
    for (String o : spec.outputs().keySet()) {
      if (!outputs.contains(o)) {
        out.add("\"outputs\" declares '" + o + "' but the model's outputs are " + outputs);
      }
    }
    return out;
  }

  /**
   * Runs the model on a batch: texts for tokenizer inputs, numeric column values for the others.
   *
   * @param texts the text of each row (when the spec has a tokenizer), else null
   * @param columns values of numeric input columns, per input name: one {@code float[]} per row
   * @return per output column, one value per row ({@code float[]} vectors or {@code Float} scalars)
   */
  public Map<String, List<Object>> infer(List<String> texts, Map<String, List<float[]>> columns) {
    return infer(spec, texts, columns);
  }

  /**
   * Runs the model with another pipe's input and output mapping: pipes that load the same model file
   * with the same settings share one session per JVM, each with its own mapping.
   */
  public Map<String, List<Object>> infer(OnnxSpec spec, List<String> texts, Map<String, List<float[]>> columns) {
    int rows = texts != null ? texts.size() : columns.values().iterator().next().size();
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    long[][] mask = null;
    try {
      Encoding[] encodings = texts != null ? tokenizer.batchEncode(texts) : null;
      if (encodings != null) {
        mask = new long[rows][];
        for (int i = 0; i < rows; i++) {
          mask[i] = encodings[i].getAttentionMask();
        }
      }
      for (Map.Entry<String, String> in : spec.inputs().entrySet()) {
        tensors.put(in.getKey(), tensor(in.getKey(), in.getValue(), encodings, columns.get(in.getKey()), rows));
      }
      Map<String, List<Object>> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(tensors)) {
        for (Map.Entry<String, OnnxSpec.Output> o : spec.outputs().entrySet()) {
          OnnxValue value = result.get(o.getKey()).orElseThrow(() -> new DdpException("the model returned no output '" + o.getKey() + "'"));
          out.put(o.getValue().column(), convert(value.getValue(), o.getValue(), mask, rows));
        }
      }
      return out;
    } catch (OrtException e) {
      throw new DdpException("ONNX Runtime failed on a batch of " + rows + " rows: " + e.getMessage(), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor tensor(String name, String source, Encoding[] encodings, List<float[]> column, int rows) throws OrtException {
    if (source.startsWith("tokenizer:")) {
      long[][] data = new long[rows][];
      for (int i = 0; i < rows; i++) {
        switch (source) {
          case "tokenizer:input_ids":
            data[i] = encodings[i].getIds();
            break;
          case "tokenizer:attention_mask":
            data[i] = encodings[i].getAttentionMask();
            break;
          default:
            data[i] = encodings[i].getTypeIds();
        }
      }
      return OnnxTensor.createTensor(env, data);
    }
    NodeInfo info = session.getInputInfo().get(name);
    float[][] data = column.toArray(new float[0][]);
    if (info != null && info.getInfo() instanceof TensorInfo
        && ((TensorInfo) info.getInfo()).type == ai.onnxruntime.OnnxJavaType.INT64) {
      long[][] longs = new long[rows][];
      for (int i = 0; i < rows; i++) {
        longs[i] = new long[data[i].length];
        for (int j = 0; j < data[i].length; j++) {
          longs[i][j] = (long) data[i][j];
        }
      }
      return OnnxTensor.createTensor(env, longs);
    }
    return OnnxTensor.createTensor(env, data);
  }

  private static List<Object> convert(Object value, OnnxSpec.Output output, long[][] mask, int rows) {
    List<Object> out = new ArrayList<>(rows);
    if (value instanceof float[][][]) {
      float[][][] tokens = (float[][][]) value;
      for (int i = 0; i < rows; i++) {
        float[] v = "cls".equals(output.pooling()) ? tokens[i][0].clone() : meanPool(tokens[i], mask == null ? null : mask[i]);
        out.add(output.normalize() ? normalize(v) : v);
      }
    } else if (value instanceof float[][]) {
      for (float[] v : (float[][]) value) {
        out.add(output.normalize() ? normalize(v.clone()) : v.clone());
      }
    } else if (value instanceof float[]) {
      for (float v : (float[]) value) {
        out.add(v);
      }
    } else if (value instanceof long[]) {
      for (long v : (long[]) value) {
        out.add((float) v);
      }
    } else {
      throw new DdpException("output of type " + value.getClass().getSimpleName() + " is not supported; use float tensors");
    }
    return out;
  }

  static float[] meanPool(float[][] tokens, long[] mask) {
    int hidden = tokens[0].length;
    float[] sum = new float[hidden];
    int n = 0;
    for (int t = 0; t < tokens.length; t++) {
      if (mask != null && (t >= mask.length || mask[t] == 0)) {
        continue;
      }
      for (int h = 0; h < hidden; h++) {
        sum[h] += tokens[t][h];
      }
      n++;
    }
    for (int h = 0; h < hidden; h++) {
      sum[h] /= Math.max(n, 1);
    }
    return sum;
  }

  static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
    return v;
  }

  @Override
  public void close() throws OrtException {
    if (tokenizer != null) {
      tokenizer.close();
    }
    session.close();
  }
}
