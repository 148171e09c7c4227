package io.ddp.examples.bench;

import io.ddp.examples.bench.baseline.HandWrittenDeltaLoad;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * What DDP costs when it writes a Delta table: the same load (read a day of orders from parquet, keep
 * the paid ones with their net amount, append to a Delta table partitioned by day) as a DDP pipeline
 * and as hand-written Spark ({@link HandWrittenDeltaLoad}), and the same hand-written load writing
 * plain parquet instead of a Delta table (the floor: the same files without Delta's transaction log). Orders are shaped like a shop's (8 parquet files per core): customers Zipf-skewed, two countries with
 * most of the orders, 30 days, 80% paid. Same session, rounds rotating the order; prints each round's
 * ratios and the medians, at each size given.
 *
 * <pre>
 * DDP_JAVA_OPTS="-Dddp.bench.rounds=5" DDP_MAIN_CLASS=io.ddp.examples.bench.DeltaWriteBenchmark ./ddp 200000 5000000
 * </pre>
 */
public final class DeltaWriteBenchmark {
  private DeltaWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Long.parseLong(a));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(200_000L, 5_000_000L);
    }
    int rounds = Math.max(1, Integer.getInteger("ddp.bench.rounds", 5));
    Path work = Files.createTempDirectory("ddp-delta-bench");
    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = SparkSession.builder().master("local[*]").appName("ddp-delta-write-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(cores * 2))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    List<String> summary = new ArrayList<>();
    for (long n : sizes) {
      Path source = work.resolve("orders-" + n);
      generate(spark, n, source.toString());
      Path pipeline = pipeline(work.resolve("load-" + n + ".json"), source);
      // Warm-up: one run of each, so that neither pays for class loading and JIT.
      PipelineTester.of(spark, pipeline).var("table", work.resolve("warm-ddp-" + n).toString()).writeSinks(true).run();
      HandWrittenDeltaLoad.load(spark, source.toString(), work.resolve("warm-hand-" + n).toString());
      List<Double> ddpRatios = new ArrayList<>();
      List<Double> parquetRatios = new ArrayList<>();
      List<double[]> times = new ArrayList<>();
      long written = -1;
      for (int r = 0; r < rounds; r++) {
        double[] seconds = new double[3];
        for (int k = 0; k < 3; k++) {
          int which = (r + k) % 3;
          String table = work.resolve("t-" + n + "-" + r + "-" + which).toString();
          System.gc();
          long t0 = System.nanoTime();
          if (which == 0) {
            RunResult result = PipelineTester.of(spark, pipeline).var("table", table).writeSinks(true).run();
            written = result.sinks().get(0).rows();
          } else if (which == 1) {
            HandWrittenDeltaLoad.load(spark, source.toString(), table);
          } else {
            plainParquet(spark, source.toString(), table);
          }
          seconds[which] = (System.nanoTime() - t0) / 1e9;
        }
        long ddpRows = spark.read().format("delta").load(work.resolve("t-" + n + "-" + r + "-0").toString()).count();
        long handRows = spark.read().format("delta").load(work.resolve("t-" + n + "-" + r + "-1").toString()).count();
        if (ddpRows != handRows) {
          throw new IllegalStateException("DDP wrote " + ddpRows + " rows, the hand-written load " + handRows);
        }
        times.add(seconds);
        ddpRatios.add(seconds[1] / seconds[0]);
        parquetRatios.add(seconds[2] / seconds[0]);
        System.out.printf(Locale.ROOT, "%,d orders, round %d: DDP %.2f s, hand-written %.2f s, plain parquet %.2f s; hand/DDP %.3f%n",
            n, r + 1, seconds[0], seconds[1], seconds[2], seconds[1] / seconds[0]);
      }
      String line = String.format(Locale.ROOT, "%,11d orders (%,d written) | DDP %6.2f s | hand-written %6.2f s | plain parquet"
          + " %6.2f s | hand/DDP %.3f (ratio of medians %.3f) | parquet/DDP %.3f", n, written, median(times, 0), median(times, 1),
          median(times, 2), median(ddpRatios), median(times, 1) / median(times, 0), median(parquetRatios));
      summary.add(line);
      System.out.println(line);
    }
    System.out.printf(Locale.ROOT, "%nDelta write: DDP pipeline vs hand-written Spark (same session, %d cores, median of %d rounds"
        + " per-round ratios; ratio = hand-written time / DDP time, 1.0 = as fast)%n", cores, rounds);
    summary.forEach(System.out::println);
    spark.stop();
  }

  /** The hand-written load writing plain parquet files: the same rows and partitions, no transaction log. */
  private static void plainParquet(SparkSession spark, String source, String path) {
    spark.read().parquet(source).where("status = 'paid'")
        .selectExpr("order_id", "customer_id", "country", "amount - discount AS net_amount", "ts", "day")
        .write().mode("append").partitionBy("day").parquet(path);
  }

  private static Path pipeline(Path file, Path source) throws Exception {
    Files.writeString(file, "{\"name\": \"delta-load\", \"variables\": {\"table\": \"\"}, \"data\": [\n"
        + "  {\"dataId\": \"Orders\", \"location\": \"" + source + "\", \"format\": \"parquet\"},\n"
        + "  {\"dataId\": \"Paid\", \"location\": \"${table}\", \"format\": \"delta\", \"mode\": \"append\", \"partitionBy\": [\"day\"],\n"
        + "   \"schema\": \"order_id BIGINT, customer_id BIGINT, country STRING, net_amount DOUBLE, ts TIMESTAMP, day DATE\"}],\n"
        + " \"transformers\": [{\"inputDataId\": [\"Orders\"], \"transformerType\": \"sql\", \"outputDataId\": \"Paid\",\n"
        + "   \"params\": {\"query\": \"SELECT order_id, customer_id, country, amount - discount AS net_amount, ts, day FROM Orders WHERE status = 'paid'\"}}]}\n");
    return file;
  }

  /** Orders: Zipf-like customers, skewed countries, 30 days, amounts with a long tail, 80% paid. */
  private static void generate(SparkSession spark, long n, String path) {
    spark.range(n).selectExpr(
        "id AS order_id",
        "CAST(pow(rand(7), 3) * 1000000 AS BIGINT) AS customer_id",
        "CASE WHEN rand(11) < 0.45 THEN 'DE' WHEN rand(11) < 0.75 THEN 'FR' ELSE element_at(array('IT','ES','NL','PL','SE','PT','AT',"
            + "'BE','DK','FI','IE','CZ'), CAST(rand(13) * 12 AS INT) + 1) END AS country",
        "round(exp(rand(17) * 6), 2) AS amount",
        "round(CASE WHEN rand(19) < 0.2 THEN rand(23) * 5 ELSE 0 END, 2) AS discount",
        "CASE WHEN rand(29) < 0.8 THEN 'paid' WHEN rand(29) < 0.9 THEN 'cancelled' ELSE 'pending' END AS status",
        "timestamp_seconds(1764547200 + CAST(rand(31) * 30 * 86400 AS BIGINT)) AS ts")
        .withColumn("day", org.apache.spark.sql.functions.to_date(org.apache.spark.sql.functions.col("ts")))
        // Several files per core, as a day of a shop's orders arrives: no single task decides the time.
        .repartition(Runtime.getRuntime().availableProcessors() * 4)
        .write().mode("overwrite").parquet(path);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    int m = sorted.size();
    return m % 2 == 1 ? sorted.get(m / 2) : (sorted.get(m / 2 - 1) + sorted.get(m / 2)) / 2;
  }

  private static double median(List<double[]> times, int which) {
    List<Double> v = new ArrayList<>();
    times.forEach(t -> v.add(t[which]));
    return median(v);
  }
}
