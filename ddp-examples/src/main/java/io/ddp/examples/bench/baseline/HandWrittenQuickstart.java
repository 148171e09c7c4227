package io.ddp.examples.bench.baseline;

import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quickstart's four steps as a Spark user writes them without DDP, in one main class: read the
 * reviews CSV, clean the text, compute the surface features, embed the text with the same MiniLM ONNX
 * model (ONNX Runtime and the Hugging Face tokenizer, one model per JVM in a static holder, batches of
 * 32 in {@code mapPartitions}), score it with the same logistic head, join back and write a CSV.
 * Imports nothing from DDP; the head's weights are read from the same JSON file.
 *
 * <p>Run: {@code java -cp ... HandWrittenQuickstart reviews.csv out-dir} (this package).
 */
public final class HandWrittenQuickstart {
  private HandWrittenQuickstart() {}

  public static void main(String[] args) throws Exception {
    String input = args[0];
    String output = args[1];
    SparkSession spark = SparkSession.builder().master("local[*]").appName("quickstart, hand-written")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    Dataset<Row> reviews = spark.read()
        .schema("review_id BIGINT, product_id STRING, rating INT, title STRING, text STRING")
        .option("header", "true").option("multiLine", "true").option("escape", "\"")
        .csv(input);

    Column title = coalesce(col("title"), lit(""));
    Column text = coalesce(col("text"), lit(""));
    Column cleanText = trim(regexp_replace(regexp_replace(lower(concat_ws(" ", title, text)), "[^\\p{L}\\p{N}']+", " "), "\\s+", " "));
    Dataset<Row> clean = reviews.select(col("review_id"), cleanText.as("clean_text"));

    Column letters = length(regexp_replace(text, "[^\\p{L}]", ""));
    Column capitals = length(regexp_replace(text, "[^\\p{Lu}]", ""));
    Dataset<Row> features = reviews.select(col("review_id"),
        length(text).minus(length(regexp_replace(text, "!", ""))).as("exclamations"),
        when(letters.equalTo(0), lit(0.0)).otherwise(capitals.cast("double").divide(greatest(letters, lit(1)))).as("capital_ratio"));

    StructType scoredSchema = new StructType().add("review_id", DataTypes.LongType)
        .add("score", DataTypes.DoubleType).add("sentiment", DataTypes.StringType);
    Dataset<Row> scored = clean.join(features, "review_id")
        .select("review_id", "clean_text", "exclamations", "capital_ratio")
        .mapPartitions(new Score(), Encoders.row(scoredSchema));

    Column positive = col("sentiment").equalTo(lit("positive"));
    Column agrees = when(col("rating").geq(4), positive).when(col("rating").leq(2), positive.unary_$bang())
        .otherwise(lit(null).cast("boolean"));
    reviews.select("review_id", "product_id", "rating").join(scored, "review_id")
        .select(col("review_id"), col("product_id"), col("rating"), bround(col("score"), 3).as("score"), col("sentiment"),
            agrees.as("agrees_with_rating"))
        .orderBy("review_id")
        .write().mode(SaveMode.Overwrite).option("header", "true").csv(output);
    spark.stop();
  }

  /** Embeds and scores a partition, 32 texts per model call. */
  static final class Score implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
      Model model = Model.get();
      List<Row> out = new ArrayList<>();
      List<Row> batch = new ArrayList<>();
      while (rows.hasNext()) {
        batch.add(rows.next());
        if (batch.size() == 32 || !rows.hasNext()) {
          String[] texts = new String[batch.size()];
          for (int i = 0; i < texts.length; i++) {
            texts[i] = batch.get(i).isNullAt(1) ? "" : batch.get(i).getString(1);
          }
          float[][] embeddings = model.embed(texts);
          for (int i = 0; i < texts.length; i++) {
            Row r = batch.get(i);
            double score = model.score(embeddings[i], r.getInt(2), r.getDouble(3));
            out.add(RowFactory.create(r.getLong(0), score, score >= 0.5 ? "positive" : "negative"));
          }
          batch.clear();
        }
      }
      return out.iterator();
    }
  }

  /** One ONNX session, tokenizer and head per JVM. */
  static final class Model {
    private static Model instance;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final double bias;
    private final double[] weights;

    private Model() throws Exception {
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      try (InputStream onnx = resource("/all-minilm-l6-v2-q.onnx");
          InputStream tok = resource("/all-minilm-l6-v2-q-tokenizer.json");
          InputStream head = resource("/io/ddp/examples/quickstart/sentiment-head.json")) {
        session = env.createSession(onnx.readAllBytes(), options);
        tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("padding", "true", "truncation", "true", "maxLength", "128"));
        JsonNode json = new ObjectMapper().readTree(head);
        bias = json.get("bias").asDouble();
        weights = new double[json.get("weights").size()];
        for (int i = 0; i < weights.length; i++) {
          weights[i] = json.get("weights").get(i).asDouble();
        }
      }
    }

    static synchronized Model get() throws Exception {
      if (instance == null) {
        instance = new Model();
      }
      return instance;
    }

    private static InputStream resource(String name) {
      InputStream in = HandWrittenQuickstart.class.getResourceAsStream(name);
      if (in == null) {
        throw new IllegalStateException("no " + name + " on the class path");
      }
      return in;
    }

    /** Mean-pooled, L2-normalised sentence embeddings. */
    float[][] embed(String[] texts) throws Exception {
      Encoding[] encodings = tokenizer.batchEncode(texts);
      long[][] ids = new long[texts.length][];
      long[][] mask = new long[texts.length][];
      long[][] types = new long[texts.length][];
      for (int i = 0; i < texts.length; i++) {
        ids[i] = encodings[i].getIds();
        mask[i] = encodings[i].getAttentionMask();
        types[i] = encodings[i].getTypeIds();
      }
      try (OnnxTensor idsT = OnnxTensor.createTensor(env, ids);
          OnnxTensor maskT = OnnxTensor.createTensor(env, mask);
          OnnxTensor typesT = OnnxTensor.createTensor(env, types);
          OrtSession.Result result = session.run(Map.of("input_ids", idsT, "attention_mask", maskT, "token_type_ids", typesT))) {
        float[][][] hidden = (float[][][]) result.get("last_hidden_state").get().getValue();
        float[][] out = new float[texts.length][];
        for (int i = 0; i < texts.length; i++) {
          float[] sum = new float[hidden[i][0].length];
          int n = 0;
          for (int t = 0; t < hidden[i].length; t++) {
            if (mask[i][t] == 0) {
              continue;
            }
            for (int h = 0; h < sum.length; h++) {
              sum[h] += hidden[i][t][h];
            }
            n++;
          }
          double norm = 0;
          for (int h = 0; h < sum.length; h++) {
            sum[h] /= Math.max(n, 1);
            norm += sum[h] * sum[h];
          }
          norm = Math.sqrt(norm);
          for (int h = 0; h < sum.length && norm > 0; h++) {
            sum[h] = (float) (sum[h] / norm);
          }
          out[i] = sum;
        }
        return out;
      }
    }

    /** The logistic head over [embedding, min(exclamations, 5) / 5, capital ratio]. */
    double score(float[] embedding, int exclamations, double capitalRatio) {
      double z = bias;
      for (int i = 0; i < embedding.length; i++) {
        z += weights[i] * embedding[i];
      }
      z += weights[embedding.length] * (Math.min(exclamations, 5) / 5.0);
      z += weights[embedding.length + 1] * capitalRatio;
      return 1.0 / (1.0 + Math.exp(-z));
    }
  }
}
