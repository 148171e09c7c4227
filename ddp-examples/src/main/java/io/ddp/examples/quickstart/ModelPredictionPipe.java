package io.ddp.examples.quickstart;

import static org.apache.spark.sql.functions.col;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.Scopes;
import io.ddp.ml.onnx.OnnxModel;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Quickstart step 3: a real model. Joins the cleaned text and the features by {@code review_id},
 * embeds the text with MiniLM (ONNX Runtime, one session per executor JVM through the instance scope,
 * batches of 32 inside {@code mapPartitions}), and scores it with a logistic head trained on those
 * embeddings ({@link SentimentHead}). Output: {@code review_id, score, sentiment} ("positive" when the
 * score is at least {@code threshold}).
 */
public final class ModelPredictionPipe implements SparkPipe<ModelPredictionPipe.Params> {
  /**
   * @param threshold score from which a review is positive, in [0, 1]; 0.5 when absent
   * @param head class path resource with the head's weights; the bundled head when absent
   */
  public record Params(
      @Param(value = "Score from which a review is positive, in [0, 1]", defaultValue = "0.5") Double threshold,
      @Param("Class path resource with the head's weights; the bundled head when absent") String head) {
    public Params {
      threshold = threshold == null ? 0.5 : threshold;
      if (threshold < 0 || threshold > 1) {
        throw new IllegalArgumentException("\"threshold\" must be between 0 and 1, not " + threshold);
      }
      head = head == null ? SentimentHead.DEFAULT_RESOURCE : head;
    }
  }

  static final StructType OUTPUT = new StructType().add("review_id", DataTypes.LongType)
      .add("score", DataTypes.DoubleType).add("sentiment", DataTypes.StringType);

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    SentimentHead head = SentimentHead.fromResource(params.head());
    Scopes.Scoped<OnnxModel> minilm = ctx.scopes().instance(SentimentHead.EMBEDDINGS.instanceKey(),
        () -> OnnxModel.load(SentimentHead.EMBEDDINGS));
    Dataset<Row> joined = inputs.get(0).join(inputs.get(1), "review_id")
        .select(col("review_id"), col("clean_text"), col("exclamations"), col("capital_ratio"));
    return joined.mapPartitions(new Scorer(minilm, head, params.threshold()), Encoders.row(OUTPUT));
  }

  /** Embeds and scores one partition in batches of 32. */
  static final class Scorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Scopes.Scoped<OnnxModel> model;
    private final SentimentHead head;
    private final double threshold;

    Scorer(Scopes.Scoped<OnnxModel> model, SentimentHead head, double threshold) {
      this.model = model;
      this.head = head;
      this.threshold = threshold;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      List<Row> out = new ArrayList<>();
      List<Row> batch = new ArrayList<>(32);
      while (rows.hasNext()) {
        batch.add(rows.next());
        if (batch.size() == 32 || !rows.hasNext()) {
          List<String> texts = batch.stream().map(r -> r.isNullAt(1) ? "" : r.getString(1)).toList();
          List<Object> embeddings = model.get().infer(SentimentHead.EMBEDDINGS, texts, Map.of()).get("embedding");
          for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            double score = head.score(SentimentHead.features((float[]) embeddings.get(i), r.getInt(2), r.getDouble(3)));
            out.add(RowFactory.create(r.getLong(0), score, score >= threshold ? "positive" : "negative"));
          }
          batch.clear();
        }
      }
      return out.iterator();
    }
  }
}
