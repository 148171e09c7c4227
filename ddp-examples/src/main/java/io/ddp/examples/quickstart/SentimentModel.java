package io.ddp.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small logistic-regression sentiment model over word weights: the score is
 * {@code sigmoid(bias + sum(word weights) + exclamations * w + capitalRatio * w)}, where a negation
 * word flips the sign of the next two words. Weights live in a JSON resource. The ONNX issue swaps
 * in a transformer model; this keeps the quickstart self-contained.
 */
public final class SentimentModel implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The model shipped with the examples. */
  public static final String DEFAULT_RESOURCE = "/io/ddp/examples/quickstart/sentiment-model.json";

  private final double bias;
  private final Map<String, Double> weights;
  private final Set<String> negations;
  private final double exclamationWeight;
  private final double capitalWeight;

  SentimentModel(double bias, Map<String, Double> weights, Set<String> negations, double exclamationWeight, double capitalWeight) {
    this.bias = bias;
    this.weights = Map.copyOf(weights);
    this.negations = Set.copyOf(negations);
    this.exclamationWeight = exclamationWeight;
    this.capitalWeight = capitalWeight;
  }

  /** Loads weights from a class path resource. */
  public static SentimentModel fromResource(String resource) {
    try (InputStream in = SentimentModel.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("Cannot load sentiment model: no resource " + resource + " on the class path");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, Double> w = new HashMap<>();
      root.get("weights").fields().forEachRemaining(e -> w.put(e.getKey(), e.getValue().asDouble()));
      Set<String> neg = new HashSet<>();
      root.get("negations").forEach(n -> neg.add(n.asText()));
      return new SentimentModel(root.get("bias").asDouble(), w, neg, root.get("exclamationWeight").asDouble(),
          root.get("capitalWeight").asDouble());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load sentiment model " + resource, e);
    }
  }

  /** Probability that the review is positive. */
  public double score(List<String> tokens, int exclamations, double capitalRatio) {
    double z = bias;
    int negated = 0;
    for (String token : tokens) {
      if (negations.contains(token)) {
        negated = 2;
        continue;
      }
      double w = weights.getOrDefault(token, 0.0);
      z += negated > 0 ? -w : w;
      if (negated > 0) {
        negated--;
      }
    }
    // Exclamations amplify whatever the words say; shouting leans negative.
    z += Math.signum(z - bias) * exclamationWeight * Math.min(exclamations, 5) + capitalWeight * capitalRatio;
    return 1.0 / (1.0 + Math.exp(-z));
  }
}
