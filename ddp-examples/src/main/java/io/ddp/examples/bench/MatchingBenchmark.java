package io.ddp.examples.bench;

import static org.apache.spark.sql.functions.col;

import io.ddp.examples.matching.LinkQuality;
import io.ddp.examples.matching.PeopleGenerator;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Record matching, {@code pipelines/matching.json} on {@link PeopleGenerator} records, in one process:
 * for each size, the time, the candidate pairs and the reduction ratio, the pair completeness of the
 * candidates (share of the true pairs they keep), and precision / recall / F1 of the final links
 * against the truth. Up to {@code -Dddp.bench.naiveMax} records (default 20,000), also the naive
 * approach: every pair of the full cross join scored with the same rules in plain Spark, linked with
 * a union-find (independent code: {@link io.ddp.examples.bench.baseline.NaiveMatching}), and the
 * speed-up. With several sizes, the exponent of the time between them (1: linear,
 * 2: quadratic).
 *
 * <pre>{@code
 * DDP_JAVA_OPTS=-Xmx12g DDP_MAIN_CLASS=io.ddp.examples.bench.MatchingBenchmark ./ddp 10000,100000,500000,2000000
 * }</pre>
 */
public final class MatchingBenchmark {
  private MatchingBenchmark() {}

  record Outcome(long records, double seconds, long candidates, double completeness, LinkQuality quality) {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>();
    for (String s : (args.length > 0 ? args[0] : "10000").split(",")) {
      sizes.add(Long.parseLong(s.trim()));
    }
    long naiveMax = Long.getLong("ddp.bench.naiveMax", 20_000);
    Path pipeline = Path.of(System.getProperty("ddp.bench.pipeline", "pipelines/matching.json"));
    Path work = Files.createTempDirectory("ddp-matching-bench");
    SparkSession spark = SparkSession.builder().master("local[*]").appName("ddp-matching-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    int cores = Runtime.getRuntime().availableProcessors();

    // Warm-up: JIT and Spark's first jobs, on a small input.
    Path warm = work.resolve("warm");
    PeopleGenerator.write(2000, 1, warm.resolve("input"));
    run(spark, pipeline, warm);

    List<Outcome> outcomes = new ArrayList<>();
    Map<Long, double[]> naive = new LinkedHashMap<>();
    for (long n : sizes) {
      Path dir = work.resolve("n" + n);
      long g0 = System.nanoTime();
      PeopleGenerator.write(n, 7, dir.resolve("input"));
      double gen = (System.nanoTime() - g0) / 1e9;
      Outcome o = run(spark, pipeline, dir);
      outcomes.add(o);
      System.out.printf(Locale.ROOT, "%,d records (generated in %.1f s): DDP %.1f s; %,d candidate pairs, reduction ratio %.6f, pair"
          + " completeness %.4f; %s%n", n, gen, o.seconds(), o.candidates(), reduction(n, o.candidates()), o.completeness(), o.quality());
      if (n <= naiveMax) {
        double[] nv = naive(spark, pipeline, dir);
        naive.put(o.records(), nv);
        System.out.printf(Locale.ROOT, "  naive (all %,d pairs scored by the same rules): %.1f s, precision %.4f, recall %.4f, F1 %.4f;"
            + " speed-up of blocking %.1fx%n", n * (n - 1) / 2, nv[0], nv[2], nv[3], nv[1], nv[0] / o.seconds());
      }
    }

    System.out.printf(Locale.ROOT, "%nRecord matching, %d cores; %s%n", cores, pipeline);
    System.out.println("records        seconds   records/s  candidates      RR          PC      precision recall  F1      exponent");
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      String exponent = i == 0 ? "" : String.format(Locale.ROOT, "%.2f", Math.log(o.seconds() / outcomes.get(i - 1).seconds())
          / Math.log((double) o.records() / outcomes.get(i - 1).records()));
      System.out.printf(Locale.ROOT, "%-14s %-9.1f %-10.0f %-15d %-11.6f %-7.4f %-9.4f %-7.4f %-7.4f %s%n", String.format("%,d", o.records()),
          o.seconds(), o.records() / o.seconds(), o.candidates(), reduction(o.records(), o.candidates()), o.completeness(),
          o.quality().precision(), o.quality().recall(), o.quality().f1(), exponent);
    }
    if (outcomes.size() > 1) {
      Outcome first = outcomes.get(0);
      Outcome last = outcomes.get(outcomes.size() - 1);
      System.out.printf(Locale.ROOT, "time exponent from %,d to %,d records: %.2f (1: linear, 2: quadratic)%n", first.records(), last.records(),
          Math.log(last.seconds() / first.seconds()) / Math.log((double) last.records() / first.records()));
    }
    naive.forEach((n, nv) -> {
      Outcome o = outcomes.stream().filter(x -> x.records() == n).findFirst().orElseThrow();
      System.out.printf(Locale.ROOT, "naive at %,d (all pairs, plain Spark): %.1f s, F1 %.4f; DDP with blocking %.1f s, F1 %.4f: %.1fx faster%n",
          n, nv[0], nv[1], o.seconds(), o.quality().f1(), nv[0] / o.seconds());
    });
    spark.stop();
  }

  static double reduction(long n, long candidates) {
    return 1.0 - candidates / (n * (n - 1) / 2.0);
  }

  static Outcome run(SparkSession spark, Path pipeline, Path dir) {
    long t0 = System.nanoTime();
    RunResult result = PipelineTester.of(spark, pipeline).var("in", dir.resolve("input").toString()).var("out", dir.resolve("out").toString())
        .writeSinks(true).run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Dataset<Row> truth = spark.read().option("header", "true").csv(dir.resolve("input/truth.csv").toString());
    Dataset<Row> entities = spark.read().parquet(dir.resolve("out/entities").toString());
    long candidates = result.metrics().stream().filter(m -> m.name().endsWith("candidatePairs")).mapToLong(m -> (long) m.value())
        .findFirst().orElse(-1);
    // Pair completeness from the candidates of a second run up to the blocking step (not timed).
    double completeness = completeness(upTo(spark, pipeline, dir, "block").captured().get("Candidates"), truth);
    return new Outcome(entities.count(), seconds, candidates, completeness, LinkQuality.of(entities, truth));
  }

  /** The share of the true pairs (same entity) that are among the candidates. */
  static double completeness(Dataset<Row> candidates, Dataset<Row> truth) {
    if (candidates == null) {
      return Double.NaN;
    }
    Dataset<Row> t = truth.select(col("record_id"), col("entity_id"));
    long kept = candidates.join(t.toDF("left_id", "le"), "left_id").join(t.toDF("right_id", "re"), "right_id")
        .where(col("le").equalTo(col("re"))).count();
    long all = LinkQuality.of(truth, truth).truePairs();
    return all == 0 ? 1.0 : (double) kept / all;
  }

  /** The pipeline run up to the pipe {@code last}, its outputs captured, nothing written. */
  static RunResult upTo(SparkSession spark, Path pipeline, Path dir, String last) {
    return PipelineTester.of(spark, pipeline).var("in", dir.resolve("input").toString()).var("out", dir.resolve("unused").toString())
        .select(plan -> io.ddp.core.plan.Selection.partial(plan, java.util.Optional.empty(), java.util.Optional.of(last),
            java.util.Optional.empty())).run();
  }

  /**
   * Seconds and F1 of the naive approach ({@link io.ddp.examples.bench.baseline.NaiveMatching}: every
   * pair scored by the same rules, in plain Spark), from the same standardised records (not timed).
   */
  static double[] naive(SparkSession spark, Path pipeline, Path dir) {
    Dataset<Row> keyed = upTo(spark, pipeline, dir, "keys").captured().get("Keyed").localCheckpoint();
    long t0 = System.nanoTime();
    Dataset<Row> entities = io.ddp.examples.bench.baseline.NaiveMatching.link(spark, keyed).localCheckpoint();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Dataset<Row> truth = spark.read().option("header", "true").csv(dir.resolve("input/truth.csv").toString());
    LinkQuality q = LinkQuality.of(entities, truth);
    return new double[] {seconds, q.f1(), q.precision(), q.recall()};
  }
}
