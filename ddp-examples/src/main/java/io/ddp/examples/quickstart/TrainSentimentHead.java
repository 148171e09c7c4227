package io.ddp.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.pipe.NoParams;
import io.ddp.ml.onnx.OnnxModel;
import io.ddp.spark.testing.PipeTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains {@link SentimentHead} on the quickstart reviews: the same preprocessing and features as the
 * pipeline, MiniLM embeddings, star ratings as labels (4-5 positive, 1-2 negative, 3 left out), one in
 * five reviews held out for testing; full-batch gradient descent with L2. Writes the weights as JSON.
 * Run: {@code DDP_MAIN_CLASS=io.ddp.examples.quickstart.TrainSentimentHead ./ddp pipelines/data/reviews.csv
 * ddp-examples/src/main/resources/io/ddp/examples/quickstart/sentiment-head.json}.
 */
public final class TrainSentimentHead {
  private TrainSentimentHead() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("train-sentiment-head")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Dataset<Row> reviews = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .schema("review_id BIGINT, product_id STRING, rating INT, title STRING, text STRING").csv(args[0]);
    Dataset<Row> clean = PipeTester.of(spark).run(new PreprocessPipe(), new PreprocessPipe.Params(List.of("title", "text")),
        Map.of("InputData", reviews));
    Dataset<Row> features = PipeTester.of(spark).run(new FeatureGenerationPipe(), new NoParams(), Map.of("InputData", reviews));
    List<Row> rows = clean.join(features, "review_id").join(reviews.select("review_id", "rating"), "review_id")
        .filter("rating != 3").orderBy("review_id").select("review_id", "clean_text", "exclamations", "capital_ratio", "rating").collectAsList();
    try (OnnxModel model = OnnxModel.load(SentimentHead.EMBEDDINGS)) {
      List<String> texts = rows.stream().map(r -> r.getString(1)).toList();
      List<Object> embeddings = new ArrayList<>();
      for (int i = 0; i < texts.size(); i += 32) {
        embeddings.addAll(model.infer(texts.subList(i, Math.min(texts.size(), i + 32)), Map.of()).get("embedding"));
      }
      List<double[]> trainX = new ArrayList<>();
      List<Integer> trainY = new ArrayList<>();
      List<double[]> testX = new ArrayList<>();
      List<Integer> testY = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        double[] x = SentimentHead.features((float[]) embeddings.get(i), r.getInt(2), r.getDouble(3));
        int y = r.getInt(4) >= 4 ? 1 : 0;
        if (r.getLong(0) % 5 == 0) {
          testX.add(x);
          testY.add(y);
        } else {
          trainX.add(x);
          trainY.add(y);
        }
      }
      int d = trainX.get(0).length;
      double[] w = new double[d];
      double b = 0;
      double lr = 1.0;
      double l2 = 1e-3;
      for (int epoch = 0; epoch < 2000; epoch++) {
        double[] gw = new double[d];
        double gb = 0;
        for (int i = 0; i < trainX.size(); i++) {
          double p = new SentimentHead(b, w).score(trainX.get(i));
          double err = p - trainY.get(i);
          for (int j = 0; j < d; j++) {
            gw[j] += err * trainX.get(i)[j];
          }
          gb += err;
        }
        for (int j = 0; j < d; j++) {
          w[j] -= lr * (gw[j] / trainX.size() + l2 * w[j]);
        }
        b -= lr * gb / trainX.size();
      }
      SentimentHead head = new SentimentHead(b, w);
      double trainAcc = accuracy(head, trainX, trainY);
      double testAcc = accuracy(head, testX, testY);
      System.out.printf(Locale.ROOT, "trained on %d reviews, tested on %d held out: train accuracy %.3f, test accuracy %.3f%n",
          trainX.size(), testX.size(), trainAcc, testAcc);
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("description", "Logistic head over MiniLM (int8) mean-pooled, L2-normalised embeddings of clean_text,"
          + " plus exclamations/5 and capital_ratio; trained by TrainSentimentHead on the quickstart reviews (review_id % 5 != 0).");
      root.put("trainReviews", trainX.size());
      root.put("testReviews", testX.size());
      root.put("testAccuracy", Math.round(testAcc * 1000) / 1000.0);
      root.put("bias", b);
      ArrayNode weights = root.putArray("weights");
      for (double v : w) {
        weights.add(Math.round(v * 1e6) / 1e6);
      }
      Files.writeString(Path.of(args[1]), json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
    spark.stop();
  }

  private static double accuracy(SentimentHead head, List<double[]> xs, List<Integer> ys) {
    int right = 0;
    for (int i = 0; i < xs.size(); i++) {
      right += (head.score(xs.get(i)) >= 0.5 ? 1 : 0) == ys.get(i) ? 1 : 0;
    }
    return (double) right / xs.size();
  }
}
