package io.ddp.examples.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.ddp.examples.langdetect.CorpusGenerator;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import opennlp.tools.langdetect.LanguageDetectorME;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Paper section 4.3 on this machine, one run, same input: (a) the DDP pipeline
 * ({@code pipelines/langdetect.json}), (b) a hand-written Spark job with the same logic (normalise,
 * exact dedup, the same MinHash near-dedup pipe code, OpenNLP detection), (c) a single-thread Java loop
 * with the same detector and exact dedup. Prints documents/s, per core, CPU use, language accuracy,
 * duplicate precision and recall against the generator's truth, and the ratios.
 * Run: {@code DDP_MAIN_CLASS=io.ddp.examples.bench.LangdetectBenchmark ./ddp [documents [pipeline.json]]}; options
 * {@code -Dddp.bench.rounds=N} (Spark jobs measured N times, alternating which runs first; medians
 * reported), {@code -Dddp.bench.skipLoop=true} (no single-thread baseline) and {@code -Dddp.bench.skipHand=true}
 * (no hand-written job), through {@code DDP_JAVA_OPTS}.
 */
public final class LangdetectBenchmark {
  private LangdetectBenchmark() {}

  private static Path pipeline = Path.of("pipelines", "langdetect.json");

  record Outcome(String name, double seconds, double cpu, Map<String, String> lang, Map<String, String> duplicateOf, int threads) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
    // Optional second argument: another pipeline file with the same datasets (to measure a variant).
    pipeline = args.length > 1 ? Path.of(args[1]) : Path.of("pipelines", "langdetect.json");
    Path work = Files.createTempDirectory("ddp-langdetect-bench");
    Path corpus = work.resolve("corpus");
    long g0 = System.nanoTime();
    new CorpusGenerator(new CorpusGenerator.Settings(n, 7, 1000, 0.1, 0.05, CorpusGenerator.LANGUAGES)).write(corpus);
    double genSeconds = (System.nanoTime() - g0) / 1e9;
    Map<String, String[]> truth = new HashMap<>();
    for (String line : Files.readAllLines(corpus.resolve("labels.csv")).subList(1, n + 1)) {
      String[] f = line.split(",", -1);
      truth.put(f[0], f);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = SparkSession.builder().master("local[*]").appName("ddp-langdetect-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(cores * 2)).getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");

    // Warm-up on a small corpus: JIT, the OpenNLP model in each JVM, Spark's first jobs.
    Path small = work.resolve("warmup");
    new CorpusGenerator(new CorpusGenerator.Settings(500, 3, 1000, 0.1, 0.05, CorpusGenerator.LANGUAGES)).write(small);
    ddp(spark, small, work.resolve("warm-ddp"));
    handWritten(spark, small, work.resolve("warm-hand"));
    loop(small);

    // Rounds (-Dddp.bench.rounds=N) alternate which Spark job runs first; each leg reports its median round.
    int rounds = Math.max(1, Integer.getInteger("ddp.bench.rounds", 1));
    List<Outcome> ddpRounds = new ArrayList<>();
    List<Outcome> handRounds = new ArrayList<>();
    boolean skipHand = Boolean.getBoolean("ddp.bench.skipHand");
    for (int r = 0; r < rounds; r++) {
      if (skipHand) {
        ddpRounds.add(measure("(a) DDP pipeline", cores, () -> ddp(spark, corpus, work.resolve("ddp"))));
      } else if (r % 2 == 0) {
        ddpRounds.add(measure("(a) DDP pipeline", cores, () -> ddp(spark, corpus, work.resolve("ddp"))));
        handRounds.add(measure("(b) hand-written Spark job", cores, () -> handWritten(spark, corpus, work.resolve("hand"))));
      } else {
        handRounds.add(measure("(b) hand-written Spark job", cores, () -> handWritten(spark, corpus, work.resolve("hand"))));
        ddpRounds.add(measure("(a) DDP pipeline", cores, () -> ddp(spark, corpus, work.resolve("ddp"))));
      }
      if (rounds > 1 && !skipHand) {
        System.out.printf(Locale.ROOT, "round %d: DDP %.1f s, hand-written %.1f s, ratio %.2f%n", r + 1, ddpRounds.get(r).seconds(),
            handRounds.get(r).seconds(), handRounds.get(r).seconds() / ddpRounds.get(r).seconds());
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(median(ddpRounds));
    if (!skipHand) {
      outcomes.add(median(handRounds));
    }
    if (!Boolean.getBoolean("ddp.bench.skipLoop")) {
      outcomes.add(measure("(c) single-thread Java loop", 1, () -> loop(corpus)));
    }
    spark.stop();

    System.out.printf(Locale.ROOT, "%nLanguage detection + dedup, %d documents (~1,000 chars, 10%% exact and 5%% near copies), %d cores;"
        + " corpus generated in %.1f s%s%n", n, cores, genSeconds, rounds > 1 ? "; median of " + rounds + " rounds" : "");
    System.out.printf(Locale.ROOT, "%-30s %8s %10s %12s %8s %9s %9s %9s%n", "method", "seconds", "docs/s", "docs/s/core", "CPU",
        "lang acc", "dup prec", "dup rec");
    for (Outcome o : outcomes) {
      double[] q = quality(o, truth);
      System.out.printf(Locale.ROOT, "%-30s %8.1f %10.0f %12.1f %7.0f%% %9.3f %9.3f %9.3f%n", o.name(), o.seconds(), n / o.seconds(),
          n / o.seconds() / o.threads(), o.cpu() * 100, q[0], q[1], q[2]);
    }
    Outcome a = outcomes.get(0);
    for (Outcome o : outcomes.subList(1, outcomes.size())) {
      System.out.printf(Locale.ROOT, "DDP / %s (throughput): %.2f%n", o.name().substring(4), o.seconds() / a.seconds());
    }
    System.out.printf(Locale.ROOT, "DDP documents/s per core: %.1f (the paper: about 56 on 48 vCPU, 2.1M documents in 13 min)%n",
        n / a.seconds() / cores);
  }

  /** The round with the median time (the upper middle one for an even count). */
  static Outcome median(List<Outcome> rounds) {
    List<Outcome> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingDouble(Outcome::seconds));
    return sorted.get(sorted.size() / 2);
  }

  interface Job {
    Outcome run() throws Exception;
  }

  static Outcome measure(String name, int threads, Job job) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Outcome raw = job.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / seconds / Runtime.getRuntime().availableProcessors();
    return new Outcome(name, seconds, cpu, raw.lang(), raw.duplicateOf(), threads);
  }

  /**
   * Language accuracy of the kept documents; duplicate precision and recall of the removed ones: a
   * removed document is right when another document of its truth group (an original and its copies)
   * was kept.
   */
  static double[] quality(Outcome o, Map<String, String[]> truth) {
    long right = o.lang().entrySet().stream().filter(e -> truth.get(e.getKey())[1].equals(e.getValue())).count();
    Map<String, Integer> keptPerGroup = new HashMap<>();
    o.lang().keySet().forEach(url -> keptPerGroup.merge(group(truth, url), 1, Integer::sum));
    long copies = truth.values().stream().filter(t -> !t[2].equals("original")).count();
    long removed = 0;
    long removedRight = 0;
    for (String url : truth.keySet()) {
      if (!o.lang().containsKey(url)) {
        removed++;
        removedRight += keptPerGroup.getOrDefault(group(truth, url), 0) > 0 ? 1 : 0;
      }
    }
    return new double[] {(double) right / o.lang().size(), (double) removedRight / Math.max(1, removed), (double) removedRight / copies};
  }

  static String group(Map<String, String[]> truth, String url) {
    String[] t = truth.get(url);
    return t[2].equals("original") ? url : t[3];
  }

  static Outcome ddp(SparkSession spark, Path corpus, Path out) {
    RunResult r = PipelineTester.of(spark, pipeline).var("corpus", corpus.toString())
        .var("out", out.toString()).writeSinks(true).run();
    return collect(spark.read().parquet(out.resolve("documents").toString()), r.captured());
  }

  static Outcome collect(Dataset<Row> detected, Map<String, Dataset<Row>> captured) {
    Map<String, String> lang = new HashMap<>();
    detected.select("url", "lang").collectAsList().forEach(r -> lang.put(r.getString(0), r.getString(1)));
    return new Outcome("", 0, 0, lang, Map.of(), 0);
  }

  /** The same logic written as one plain Spark job (the near-dedup step reuses the pipe's code). */
  static Outcome handWritten(SparkSession spark, Path corpus, Path out) {
    var normalize = udf((UDF1<String, String>) io.ddp.examples.langdetect.LangdetectFunctions::normalize, DataTypes.StringType);
    Dataset<Row> docs = spark.read().schema("url STRING, text STRING").json(corpus.resolve("docs.jsonl").toString())
        .withColumn("clean", normalize.apply(col("text")));
    Dataset<Row> exact = docs.withColumn("content_hash", sha2(col("clean"), 256))
        .withColumn("keeper", first(col("url")).over(Window.partitionBy("content_hash").orderBy("url")))
        .withColumn("exact_duplicate_of", when(col("keeper").notEqual(col("url")), col("keeper"))).drop("keeper");
    Dataset<Row> marked = io.ddp.spark.testing.PipeTester.of(spark).run(new io.ddp.examples.langdetect.NearDedup(),
        new io.ddp.examples.langdetect.NearDedup.Params(0.8, 5, 64, 16), Map.of("ExactMarked", exact));
    Dataset<Row> unique = marked.filter(col("exact_duplicate_of").isNull().and(col("near_duplicate_of").isNull())).select("url", "text", "clean");
    StructType schema = unique.schema().add("lang", DataTypes.StringType).add("confidence", DataTypes.DoubleType);
    MapPartitionsFunction<Row, Row> detect = rows -> {
      LanguageDetectorME detector = new LanguageDetectorME(io.ddp.examples.langdetect.LangdetectFunctions.model());
      return new java.util.Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          Object[] d = io.ddp.examples.langdetect.LangdetectFunctions.detect(detector, r.getString(2), 0.5, 20);
          return RowFactory.create(r.getString(0), r.getString(1), r.getString(2), d[0], d[1]);
        }
      };
    };
    unique.mapPartitions(detect, Encoders.row(schema)).write().mode("overwrite").partitionBy("lang").parquet(out.toString());
    return collect(spark.read().parquet(out.toString()), Map.of());
  }

  /** One thread: read, normalise, exact dedup with a hash set, detect. No near-dedup (as in the paper's baseline). */
  static Outcome loop(Path corpus) throws Exception {
    ObjectMapper json = new ObjectMapper();
    LanguageDetectorME detector = new LanguageDetectorME(io.ddp.examples.langdetect.LangdetectFunctions.model());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Set<String> seen = new HashSet<>();
    Map<String, String> lang = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(corpus.resolve("docs.jsonl"))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode d = json.readTree(line);
        String clean = io.ddp.examples.langdetect.LangdetectFunctions.normalize(d.get("text").asText());
        String hash = java.util.HexFormat.of().formatHex(sha.digest(clean.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!seen.add(hash)) {
          continue;
        }
        lang.put(d.get("url").asText(), (String) io.ddp.examples.langdetect.LangdetectFunctions.detect(detector, clean, 0.5, 20)[0]);
      }
    }
    return new Outcome("", 0, 0, lang, Map.of(), 1);
  }
}
