package io.ddp.examples.bench.baseline;

import org.apache.spark.sql.SparkSession;

/**
 * The floor of any Spark program on this machine: start a local session, read a text file, count its
 * lines, stop. With {@code --case-table}, also lower-case the lines: the first case mapping of a Spark
 * 4 JVM builds its table from every Unicode code point. Imports nothing from DDP.
 *
 * <p>Run: {@code java -cp ... SparkAlone lines.txt [--case-table]} (this package).
 */
public final class SparkAlone {
  private SparkAlone() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[*]").appName("Spark alone").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    long n = args.length > 1 && args[1].equals("--case-table")
        ? spark.read().text(args[0]).selectExpr("lower(value) AS v").where("v <> ''").count()
        : spark.read().text(args[0]).count();
    System.out.println(n + " lines");
    spark.stop();
  }
}
