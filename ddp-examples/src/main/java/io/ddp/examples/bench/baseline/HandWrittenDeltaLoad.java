package io.ddp.examples.bench.baseline;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The load a Spark user writes without DDP: read the day's orders (parquet), keep the paid ones with
 * their net amount, and append them to a Delta table partitioned by day. Imports nothing from DDP.
 */
public final class HandWrittenDeltaLoad {
  private HandWrittenDeltaLoad() {}

  /** Reads {@code source}, appends to the Delta table at {@code table}; returns the rows written. */
  public static void load(SparkSession spark, String source, String table) {
    Dataset<Row> orders = spark.read().parquet(source);
    Dataset<Row> paid = orders.where(col("status").equalTo("paid"))
        .select(col("order_id"), col("customer_id"), col("country"), col("amount").minus(col("discount")).as("net_amount"),
            col("ts"), col("day"));
    paid.write().format("delta").mode(SaveMode.Append).partitionBy("day").save(table);
  }
}
