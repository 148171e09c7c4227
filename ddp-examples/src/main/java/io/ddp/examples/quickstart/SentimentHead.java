package io.ddp.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.ml.onnx.OnnxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A logistic-regression head over MiniLM sentence embeddings plus two surface features
 * (exclamation marks, share of capitals): {@code sigmoid(bias + w · [embedding, exclamations / 5,
 * capitalRatio])}. Trained by {@link TrainSentimentHead}; its weights are a JSON resource.
 */
public final class SentimentHead implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The head shipped with the examples. */
  public static final String DEFAULT_RESOURCE = "/io/ddp/examples/quickstart/sentiment-head.json";

  /** The embedding model the head was trained on: MiniLM (int8 ONNX) from the class path. */
  public static final OnnxSpec EMBEDDINGS = new OnnxSpec("classpath:all-minilm-l6-v2-q.onnx", null,
      "classpath:all-minilm-l6-v2-q-tokenizer.json", "clean_text", 128,
      Map.of("input_ids", "tokenizer:input_ids", "attention_mask", "tokenizer:attention_mask", "token_type_ids", "tokenizer:token_type_ids"),
      Map.of("last_hidden_state", new OnnxSpec.Output("embedding", "mean", true)), 32, 1);

  private final double bias;
  private final double[] weights;

  public SentimentHead(double bias, double[] weights) {
    this.bias = bias;
    this.weights = weights.clone();
  }

  public static SentimentHead fromResource(String resource) {
    try (InputStream in = SentimentHead.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("Cannot load the sentiment head: no resource " + resource + " on the class path");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      JsonNode w = root.get("weights");
      double[] weights = new double[w.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = w.get(i).asDouble();
      }
      return new SentimentHead(root.get("bias").asDouble(), weights);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load the sentiment head " + resource, e);
    }
  }

  /** The feature vector the head reads. */
  public static double[] features(float[] embedding, int exclamations, double capitalRatio) {
    double[] x = new double[embedding.length + 2];
    for (int i = 0; i < embedding.length; i++) {
      x[i] = embedding[i];
    }
    x[embedding.length] = Math.min(exclamations, 5) / 5.0;
    x[embedding.length + 1] = capitalRatio;
    return x;
  }

  /** Probability that the review is positive. */
  public double score(double[] x) {
    if (x.length != weights.length) {
      throw new IllegalArgumentException("the head takes " + weights.length + " features, not " + x.length);
    }
    double z = bias;
    for (int i = 0; i < x.length; i++) {
      z += weights[i] * x[i];
    }
    return 1.0 / (1.0 + Math.exp(-z));
  }
}
