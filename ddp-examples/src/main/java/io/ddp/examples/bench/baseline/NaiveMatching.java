package io.ddp.examples.bench.baseline;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The naive approach to record matching, written the way a Spark user without DDP would: every pair
 * of records (the full cross join) scored with the same rules as {@code pipelines/matching.json}
 * (Jaro-Winkler from Commons Text on the sorted name and the surname key, birth dates within 40 days,
 * equal phone and postcode, weights 3, 1, 2, 1, 1, a missing value left out of the weighted mean,
 * threshold 0.85), and the matches linked into entities with a union-find on the driver (the matches
 * of the sizes where the cross join finishes fit there). It starts from the standardised records
 * ({@code record_id, name_set, last_key, born, phone10, zip}), so it measures what blocking saves.
 * It uses no DDP code.
 */
public final class NaiveMatching {
  private NaiveMatching() {}

  /** {@code record_id, entity_id} for every record. */
  public static Dataset<Row> link(SparkSession spark, Dataset<Row> standard) {
    List<Row> matches = matches(spark, standard).select("l_id", "r_id").collectAsList();

    Map<String, String> parent = new HashMap<>();
    for (Row m : matches) {
      String a = find(parent, m.getString(0));
      String b = find(parent, m.getString(1));
      if (!a.equals(b)) {
        parent.put(a.compareTo(b) > 0 ? a : b, a.compareTo(b) > 0 ? b : a);
      }
    }
    List<Row> linked = new java.util.ArrayList<>();
    for (Row id : standard.select("record_id").collectAsList()) {
      linked.add(RowFactory.create(id.getString(0), find(parent, id.getString(0))));
    }
    return spark.createDataFrame(linked, StructType.fromDDL("record_id STRING, entity_id STRING"));
  }

  /** Every pair of records ({@code l_id < r_id}) whose score reaches the threshold, with its {@code score}. */
  public static Dataset<Row> matches(SparkSession spark, Dataset<Row> standard) {
    spark.udf().register("jw", (UDF2<String, String, Double>) (a, b) -> a == null || b == null ? null
        : a.isEmpty() && b.isEmpty() ? 1.0 : new JaroWinklerSimilarity().apply(a, b), DataTypes.DoubleType);
    Dataset<Row> r = standard.select(col("record_id"), blankAsNull("name_set"), blankAsNull("last_key"), col("born"),
        blankAsNull("phone10"), blankAsNull("zip"));
    Dataset<Row> left = r.toDF("l_id", "l_name", "l_last", "l_born", "l_phone", "l_zip");
    Dataset<Row> right = r.toDF("r_id", "r_name", "r_last", "r_born", "r_phone", "r_zip");
    Dataset<Row> pairs = left.crossJoin(right).where(col("l_id").lt(col("r_id")));

    Column[] sims = {
        callUDF("jw", col("l_name"), col("r_name")),
        callUDF("jw", col("l_last"), col("r_last")),
        // greatest() skips nulls: a missing date must stay missing, not count as 0
        when(datediff(col("l_born"), col("r_born")).isNull(), lit(null))
            .otherwise(greatest(lit(0.0), lit(1.0).minus(abs(datediff(col("l_born"), col("r_born"))).divide(40.0)))),
        when(col("l_phone").isNull().or(col("r_phone").isNull()), lit(null)).otherwise(when(col("l_phone").equalTo(col("r_phone")), 1.0).otherwise(0.0)),
        when(col("l_zip").isNull().or(col("r_zip").isNull()), lit(null)).otherwise(when(col("l_zip").equalTo(col("r_zip")), 1.0).otherwise(0.0))};
    double[] weights = {3, 1, 2, 1, 1};
    Column sum = lit(0.0);
    Column total = lit(0.0);
    for (int i = 0; i < sims.length; i++) {
      sum = sum.plus(when(sims[i].isNull(), 0.0).otherwise(sims[i].multiply(weights[i])));
      total = total.plus(when(sims[i].isNull(), 0.0).otherwise(weights[i]));
    }
    return pairs.withColumn("score", when(total.gt(0), sum.divide(total)).otherwise(0.0)).where(col("score").geq(0.85))
        .select("l_id", "r_id", "score");
  }

  private static Column blankAsNull(String c) {
    return when(trim(col(c)).equalTo(""), lit(null)).otherwise(col(c)).as(c);
  }

  private static String find(Map<String, String> parent, String x) {
    String root = x;
    while (parent.containsKey(root)) {
      root = parent.get(root);
    }
    while (!x.equals(root)) { // path compression
      String next = parent.get(x);
      parent.put(x, root);
      x = next;
    }
    return root;
  }
}
