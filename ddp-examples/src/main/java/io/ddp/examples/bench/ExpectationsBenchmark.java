package io.ddp.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.examples.langdetect.CorpusGenerator;
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
 * What data expectations cost on a real pipeline: {@code pipelines/langdetect.json} as it is, against
 * the same file with expectations declared (every action but quarantine on the written sink, and a
 * warn expectation on an intermediate counted while its reader runs), and against the same plus one
 * quarantine expectation. Same corpus, same process, rounds alternating the order; prints each
 * round's ratio and the median.
 *
 * <pre>
 * DDP_JAVA_OPTS="-Dddp.bench.rounds=5" DDP_MAIN_CLASS=io.ddp.examples.bench.ExpectationsBenchmark ./ddp 20000
 * </pre>
 */
public final class ExpectationsBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExpectationsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
    int rounds = Math.max(1, Integer.getInteger("ddp.bench.rounds", 5));
    Path original = Path.of(args.length > 1 ? args[1] : "pipelines/langdetect.json");
    Path work = Files.createTempDirectory("ddp-expectations-bench");
    Path corpus = work.resolve("corpus");
    new CorpusGenerator(new CorpusGenerator.Settings(n, 7, 1000, 0.1, 0.05, CorpusGenerator.LANGUAGES)).write(corpus);
    Path checked = variant(original, work.resolve("checked.json"), false);
    Path quarantined = variant(original, work.resolve("quarantined.json"), true);

    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = SparkSession.builder().master("local[*]").appName("ddp-expectations-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(cores * 2)).getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");

    Path small = work.resolve("warmup");
    new CorpusGenerator(new CorpusGenerator.Settings(500, 3, 1000, 0.1, 0.05, CorpusGenerator.LANGUAGES)).write(small);
    for (Path p : List.of(original, checked, quarantined)) {
      run(spark, p, small, work.resolve("warm"));
    }

    List<Double> plain = new ArrayList<>();
    List<Double> withChecks = new ArrayList<>();
    List<Double> withQuarantine = new ArrayList<>();
    List<Double> checkRatios = new ArrayList<>();
    List<Double> quarantineRatios = new ArrayList<>();
    List<Double> checkCpuRatios = new ArrayList<>();
    List<Double> quarantineCpuRatios = new ArrayList<>();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    RunResult last = null;
    for (int r = 0; r < rounds; r++) {
      // Rotate the order, so that no variant always runs first (or last) in a round.
      List<Integer> order = List.of(r % 3, (r + 1) % 3, (r + 2) % 3);
      double[] seconds = new double[3];
      double[] cpu = new double[3];
      for (int which : order) {
        Path p = which == 0 ? original : which == 1 ? checked : quarantined;
        // Each run starts from a collected heap, so that no variant pays for the garbage of the one before.
        System.gc();
        long t0 = System.nanoTime();
        long c0 = os.getProcessCpuTime();
        RunResult result = run(spark, p, corpus, work.resolve("out" + which));
        seconds[which] = (System.nanoTime() - t0) / 1e9;
        cpu[which] = (os.getProcessCpuTime() - c0) / 1e9;
        if (which == 2) {
          last = result;
        }
      }
      plain.add(seconds[0]);
      withChecks.add(seconds[1]);
      withQuarantine.add(seconds[2]);
      checkRatios.add(seconds[1] / seconds[0]);
      quarantineRatios.add(seconds[2] / seconds[0]);
      checkCpuRatios.add(cpu[1] / cpu[0]);
      quarantineCpuRatios.add(cpu[2] / cpu[0]);
      System.out.printf(Locale.ROOT, "round %d: plain %.1f s (cpu %.1f s), expectations %.1f s (x%.3f; cpu x%.3f),"
          + " with quarantine %.1f s (x%.3f; cpu x%.3f)%n", r + 1, seconds[0], cpu[0], seconds[1], seconds[1] / seconds[0],
          cpu[1] / cpu[0], seconds[2], seconds[2] / seconds[0], cpu[2] / cpu[0]);
    }
    spark.stop();

    System.out.printf(Locale.ROOT, "%nExpectations on pipelines/langdetect.json, %d documents, %d cores, median of %d rounds%n", n, cores,
        rounds);
    System.out.printf(Locale.ROOT, "%-44s %8s %10s %12s%n", "variant", "seconds", "x plain", "CPU x plain");
    System.out.printf(Locale.ROOT, "%-44s %8.1f %10s %12s%n", "plain (no expectations)", median(plain), "1.000", "1.000");
    System.out.printf(Locale.ROOT, "%-44s %8.1f %10.3f %12.3f%n", "6 expectations (warn, drop, fail, rowCount)", median(withChecks),
        median(checkRatios), median(checkCpuRatios));
    System.out.printf(Locale.ROOT, "%-44s %8.1f %10.3f %12.3f%n", "same + acceptedValues as quarantine", median(withQuarantine),
        median(quarantineRatios), median(quarantineCpuRatios));
    System.out.printf(Locale.ROOT, "expectations cost (median of per-round ratios): %+.1f%% wall, %+.1f%% CPU;"
        + " with quarantine: %+.1f%% wall, %+.1f%% CPU%n", (median(checkRatios) - 1) * 100, (median(checkCpuRatios) - 1) * 100,
        (median(quarantineRatios) - 1) * 100, (median(quarantineCpuRatios) - 1) * 100);
    if (last != null) {
      System.out.println("\nlast round's expectations (with quarantine):");
      System.out.print(last.expectationTable(true));
    }
  }

  static RunResult run(SparkSession spark, Path pipeline, Path corpus, Path out) {
    return PipelineTester.of(spark, pipeline).var("corpus", corpus.toString()).var("out", out.toString()).writeSinks(true).run();
  }

  /** The pipeline with expectations on the written documents and on the marked (deduplicated) ones. */
  static Path variant(Path original, Path target, boolean quarantine) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(original.toFile());
    for (var d : root.withArray("data")) {
      ObjectNode data = (ObjectNode) d;
      String id = data.path("dataId").asText();
      if (id.equals("Detected")) {
        ArrayNode e = data.putArray("expectations");
        e.add(JSON.readTree("{\"notNull\": [\"url\", \"lang\"], \"onViolation\": \"fail\"}"));
        e.add(JSON.readTree("{\"name\": \"confidenceInRange\", \"expect\": \"confidence IS NULL OR confidence BETWEEN 0 AND 1\","
            + " \"onViolation\": \"fail\"}"));
        e.add(JSON.readTree("{\"name\": \"hasText\", \"expect\": \"length(text) > 0\", \"onViolation\": \"drop\"}"));
        ObjectNode accepted = (ObjectNode) JSON.readTree("{\"column\": \"lang\", \"onViolation\": \""
            + (quarantine ? "quarantine" : "warn") + "\"}");
        ArrayNode values = accepted.putArray("acceptedValues");
        CorpusGenerator.LANGUAGES.forEach(values::add);
        values.add("und");
        e.add(accepted);
        e.add(JSON.readTree("{\"rowCount\": {\"min\": 1}, \"onViolation\": \"fail\"}"));
      } else if (id.equals("Marked")) {
        data.putArray("expectations").add(JSON.readTree("{\"name\": \"cleaned\", \"expect\": \"clean IS NOT NULL\"}"));
      }
    }
    Files.writeString(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    return target;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }
}
