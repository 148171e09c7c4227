package io.ddp.examples.bench.baseline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.split;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The word count of {@code pipelines/wordcount.json} as a Spark user writes it without DDP: read the
 * text, split it into lower-case words, count them with a groupBy, write a CSV. Imports nothing from DDP.
 *
 * <p>Run: {@code java -cp ... HandWrittenWordCount lines.txt out-dir} (this package).
 */
public final class HandWrittenWordCount {
  private HandWrittenWordCount() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[*]").appName("word count, hand-written").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> words = spark.read().text(args[0])
        .select(explode(split(lower(col("value")), "[^\\p{L}\\p{N}']+")).as("word"))
        .where(col("word").notEqual(""));
    words.groupBy("word").agg(count(lit(1)).as("n")).orderBy(col("n").desc(), col("word"))
        .write().mode(SaveMode.Overwrite).option("header", "true").csv(args[1]);
    spark.stop();
  }
}
