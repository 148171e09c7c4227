package io.ddp.ml.onnx;

import io.ddp.core.pipe.Param;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an ONNX model pipe declares in {@code params}.
 *
 * <pre>{@code
 * {"model": "classpath:all-minilm-l6-v2-q.onnx", "tokenizer": "classpath:all-minilm-l6-v2-q-tokenizer.json",
 *  "textColumn": "text",
 *  "inputs": {"input_ids": "tokenizer:input_ids", "attention_mask": "tokenizer:attention_mask", "token_type_ids": "tokenizer:token_type_ids"},
 *  "outputs": {"last_hidden_state": {"column": "embedding", "pooling": "mean", "normalize": true}},
 *  "batchSize": 32, "intraOpThreads": 1}
 * }</pre>
 *
 * @param model a local path, {@code classpath:NAME}, or a Hadoop/S3 URI (shipped to executors with Spark's files)
 * @param sha256 the model file's SHA-256 in hex; checked when the model is loaded when given
 * @param tokenizer a HuggingFace {@code tokenizer.json} (same location forms), or null
 * @param textColumn the string column the tokenizer reads
 * @param maxLength tokens per text after truncation (default 128)
 * @param inputs ONNX input name to {@code tokenizer:input_ids|attention_mask|token_type_ids} or a numeric column
 * @param outputs ONNX output name to where it goes
 * @param batchSize rows per inference call (default 32)
 * @param intraOpThreads ONNX Runtime threads per call (default 1: task threads give the parallelism)
 */
public record OnnxSpec(
    @Param(value = "The .onnx file: a local path, classpath:NAME, or a Hadoop/S3 URI (shipped to the executors)", required = true)
    String model,
    @Param("The model file's SHA-256 in hex, checked when the model is loaded") String sha256,
    @Param("A HuggingFace tokenizer.json (same location forms), for models that read text") String tokenizer,
    @Param("The STRING column the tokenizer reads") String textColumn,
    @Param(value = "Tokens per text after truncation", defaultValue = "128") Integer maxLength,
    @Param(value = "Each ONNX input name to tokenizer:input_ids, tokenizer:attention_mask, tokenizer:token_type_ids or a"
        + " numeric column", required = true) Map<String, String> inputs,
    @Param(value = "Each ONNX output name to the column it goes to, with pooling and normalisation", required = true)
    Map<String, Output> outputs,
    @Param(value = "Rows per inference call", defaultValue = "32") Integer batchSize,
    @Param(value = "ONNX Runtime threads per call (task threads give the parallelism)", defaultValue = "1") Integer intraOpThreads)
    implements Serializable {

  /**
   * Where an ONNX output goes.
   *
   * @param column the output column
   * @param pooling for token outputs [batch, tokens, hidden]: {@code mean} (over the attention mask),
   *     {@code cls} (first token), or {@code none} for outputs that are already per row
   * @param normalize L2-normalise the vector (cosine similarity becomes a dot product)
   */
  public record Output(
      @Param(value = "The output column (ARRAY<FLOAT>)", required = true) String column,
      @Param(value = "For token outputs [batch, tokens, hidden]: mean (over the attention mask), cls (first token), or none",
          defaultValue = "\"none\"") String pooling,
      @Param(value = "L2-normalise the vector", defaultValue = "false") Boolean normalize) implements Serializable {
    public Output {
      if (column == null || column.isBlank()) {
        throw new IllegalArgumentException("every output needs a \"column\"");
      }
      pooling = pooling == null ? "none" : pooling;
      if (!java.util.List.of("mean", "cls", "none").contains(pooling)) {
        throw new IllegalArgumentException("\"pooling\" of output column " + column + " must be mean, cls or none, not " + pooling);
      }
      normalize = normalize != null && normalize;
    }
  }

  public OnnxSpec {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("\"model\" is required: a path, classpath:NAME or URI of the .onnx file");
    }
    inputs = inputs == null ? Map.of() : new LinkedHashMap<>(inputs);
    outputs = outputs == null ? Map.of() : new LinkedHashMap<>(outputs);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("\"inputs\" and \"outputs\" map the model's input and output names; both are required");
    }
    if (inputs.values().stream().anyMatch(v -> v.startsWith("tokenizer:")) && (tokenizer == null || textColumn == null)) {
      throw new IllegalArgumentException("inputs read from \"tokenizer:...\" need \"tokenizer\" and \"textColumn\"");
    }
    for (String v : inputs.values()) {
      if (v.startsWith("tokenizer:") && !java.util.List.of("tokenizer:input_ids", "tokenizer:attention_mask", "tokenizer:token_type_ids").contains(v)) {
        throw new IllegalArgumentException("unknown tokenizer output '" + v + "'; use tokenizer:input_ids, tokenizer:attention_mask or tokenizer:token_type_ids");
      }
    }
    maxLength = maxLength == null ? 128 : maxLength;
    batchSize = batchSize == null ? 32 : batchSize;
    intraOpThreads = intraOpThreads == null ? 1 : intraOpThreads;
    if (batchSize < 1 || intraOpThreads < 1 || maxLength < 1) {
      throw new IllegalArgumentException("\"batchSize\", \"intraOpThreads\" and \"maxLength\" must be at least 1");
    }
  }

  /** The key under which one JVM shares one loaded model. */
  public String instanceKey() {
    return "onnx:" + model + "#" + (sha256 == null ? "" : sha256) + "#" + tokenizer + "#" + intraOpThreads + "#" + maxLength;
  }
}
