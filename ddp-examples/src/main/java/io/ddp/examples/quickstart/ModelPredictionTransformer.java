package io.ddp.examples.quickstart;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Quickstart step 3: joins tokens and features by {@code review_id} and scores each review with
 * {@link SentimentModel}. Output: {@code review_id, score, sentiment} ("positive" when the score is at
 * least {@code threshold}, else "negative").
 */
public final class ModelPredictionTransformer implements SparkPipe<ModelPredictionTransformer.Params> {
  /**
   * @param threshold score from which a review is positive, in [0, 1]; 0.5 when absent
   * @param model class path resource with the model weights; the bundled model when absent
   */
  public record Params(Double threshold, String model) {
    public Params {
      threshold = threshold == null ? 0.5 : threshold;
      if (threshold < 0 || threshold > 1) {
        throw new IllegalArgumentException("\"threshold\" must be between 0 and 1, not " + threshold);
      }
      model = model == null ? SentimentModel.DEFAULT_RESOURCE : model;
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    SentimentModel model = SentimentModel.fromResource(params.model());
    UserDefinedFunction score = udf(
        (UDF3<Seq<String>, Integer, Double, Double>) (tokens, exclamations, capitals) ->
            model.score(CollectionConverters.asJava(tokens), exclamations, capitals),
        DataTypes.DoubleType);
    Dataset<Row> tokens = inputs.get(0);
    Dataset<Row> features = inputs.get(1);
    return tokens.join(features, "review_id")
        .select(col("review_id"), score.apply(col("tokens"), col("exclamations"), col("capital_ratio")).as("score"))
        .withColumn("sentiment", when(col("score").geq(lit(params.threshold())), lit("positive")).otherwise(lit("negative")));
  }
}
