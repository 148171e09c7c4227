package io.ddp.examples.matching;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairwise quality of an entity resolution against the truth: a pair of records is linked when they
 * got the same entity, and truly the same when the truth gives them the same entity. Precision,
 * recall and F1 over all such pairs (counted per cluster, never enumerated).
 */
public record LinkQuality(long linkedPairs, long truePairs, long correctPairs) {
  public double precision() {
    return linkedPairs == 0 ? 1.0 : (double) correctPairs / linkedPairs;
  }

  public double recall() {
    return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
  }

  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /**
   * @param linked {@code record_id}, {@code entity_id} as the pipeline wrote them
   * @param truth {@code record_id}, {@code entity_id} of the generator
   */
  public static LinkQuality of(Dataset<Row> linked, Dataset<Row> truth) {
    Dataset<Row> both = linked.select(col("record_id"), col("entity_id").cast("string").as("linked"))
        .join(truth.select(col("record_id"), col("entity_id").cast("string").as("truth")), "record_id");
    return new LinkQuality(pairs(both, "linked"), pairs(both, "truth"), pairs(both, "linked", "truth"));
  }

  private static long pairs(Dataset<Row> rows, String... by) {
    org.apache.spark.sql.Column[] keys = java.util.Arrays.stream(by).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
    Row r = rows.groupBy(keys).agg(count(lit(1)).as("n")).agg(sum(col("n").multiply(col("n").minus(1)).divide(2))).first();
    return r.isNullAt(0) ? 0 : Math.round(r.getDouble(0));
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "precision %.4f, recall %.4f, F1 %.4f (%d linked pairs, %d true pairs)", precision(), recall(),
        f1(), linkedPairs, truePairs);
  }
}
