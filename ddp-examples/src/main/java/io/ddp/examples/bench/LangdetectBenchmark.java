package io.ddp.examples.bench;

import com.sun.management.OperatingSystemMXBean;
import io.ddp.examples.bench.baseline.HandWrittenLangdetect;
import io.ddp.examples.langdetect.CorpusGenerator;
import io.ddp.examples.langdetect.DetectLanguage;
import io.ddp.examples.langdetect.LangidCorpus;
import io.ddp.examples.langdetect.LanguageCodes;
import io.ddp.spark.testing.PipelineTester;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import opennlp.tools.langdetect.LanguageDetectorME;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Paper section 4.3 on this machine, in one process, on the same input:
 * <ul>
 *   <li>(a) the DDP pipeline {@code pipelines/langdetect.json};</li>
 *   <li>(b) the same job hand-written in plain Spark without DDP ({@link HandWrittenLangdetect}: the
 *       same algorithms, its own code);</li>
 *   <li>(c) the physical limit of this logic: the language detector alone, a bare loop over the texts
 *       the pipeline classifies, on as many threads as Spark has cores.</li>
 * </ul>
 * (a) and (b) run in interleaved rounds (the order alternates); the ratio reported is the median of
 * the per-round ratios. Prints documents/s, per core, CPU use, language accuracy (over the languages the
 * model knows), duplicate precision and recall against the corpus's truth, a per-language accuracy table
 * and the paper's figures per core.
 *
 * <p>Run: {@code DDP_MAIN_CLASS=io.ddp.examples.bench.LangdetectBenchmark ./ddp [documents]} with options
 * through {@code DDP_JAVA_OPTS}: {@code -Dddp.bench.rounds=N} (default 3), {@code -Dddp.bench.corpus=web|generated}
 * (default {@code web}: {@link LangidCorpus}, real sentences in 79 languages, held-out half, 8% exact and 4%
 * near copies; {@code generated}: the 16-language {@link CorpusGenerator}), {@code -Dddp.bench.seed=S},
 * {@code -Dddp.bench.skipHand=true}, {@code -Dddp.bench.pipeline=FILE} (a variant of the pipeline),
 * {@code -Dddp.bench.loopLimit=N} (time the detector alone on the first N texts and scale),
 * {@code -Dddp.bench.stages=true} (each Spark stage's task time, per round).
 */
public final class LangdetectBenchmark {
  private LangdetectBenchmark() {}

  /** One measured run: wall seconds, CPU share of all cores, and the language of each kept url. */
  record Outcome(String name, double seconds, double cpu, Map<String, String> lang) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = Math.max(1, Integer.getInteger("ddp.bench.rounds", 3));
    String kind = System.getProperty("ddp.bench.corpus", "web");
    long seed = Long.getLong("ddp.bench.seed", 11);
    boolean skipHand = Boolean.getBoolean("ddp.bench.skipHand");
    Path pipeline = Path.of(System.getProperty("ddp.bench.pipeline", "pipelines/langdetect.json"));
    Path work = Files.createTempDirectory("ddp-langdetect-bench");
    int cores = Runtime.getRuntime().availableProcessors();

    long g0 = System.nanoTime();
    Path corpus = work.resolve("corpus");
    write(kind, n, seed, corpus);
    double genSeconds = (System.nanoTime() - g0) / 1e9;
    Map<String, String[]> truth = truth(corpus);
    write(kind, 1000, seed + 1, work.resolve("warmup"));

    SparkSession spark = SparkSession.builder().master("local[*]").appName("ddp-langdetect-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    StageLog stages = new StageLog();
    if (Boolean.getBoolean("ddp.bench.stages")) {
      spark.sparkContext().addSparkListener(stages);
    }
    HandWrittenLangdetect hand = new HandWrittenLangdetect(DetectLanguage.measuredThresholds(), DetectLanguage.defaultThreshold(),
        LanguageCodes.OPENNLP);

    // Warm-up: JIT, the model in the JVM, Spark's first jobs.
    ddp(spark, pipeline, work.resolve("warmup"), work.resolve("warm-ddp"));
    hand.run(spark, work.resolve("warmup/docs.jsonl").toString(), work.resolve("warm-hand").toString());

    List<Outcome> ddpRuns = new ArrayList<>();
    List<Outcome> handRuns = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      Job a = () -> ddp(spark, pipeline, corpus, work.resolve("ddp"));
      Job b = () -> {
        hand.run(spark, corpus.resolve("docs.jsonl").toString(), work.resolve("hand").toString());
        return kept(spark, work.resolve("hand"));
      };
      if (skipHand) {
        ddpRuns.add(measure("(a) DDP pipeline", a));
        printQuality(r, ddpRuns.get(r), truth);
        continue;
      }
      if (r % 2 == 0) {
        ddpRuns.add(measure("(a) DDP pipeline", a));
        handRuns.add(measure("(b) hand-written Spark", b));
      } else {
        handRuns.add(measure("(b) hand-written Spark", b));
        ddpRuns.add(measure("(a) DDP pipeline", a));
      }
      ratios.add(handRuns.get(r).seconds() / ddpRuns.get(r).seconds());
      stages.print();
      System.out.printf(Locale.ROOT, "round %d: DDP %.1f s (CPU %.0f%%), hand-written %.1f s (CPU %.0f%%), throughput ratio %.3f%n", r + 1,
          ddpRuns.get(r).seconds(), ddpRuns.get(r).cpu() * 100, handRuns.get(r).seconds(), handRuns.get(r).cpu() * 100, ratios.get(r));
      printQuality(r, ddpRuns.get(r), truth);
    }

    // (c) the detector alone over the texts the pipeline classified, same thread count as Spark's cores;
    // with -Dddp.bench.loopLimit=N over the first N of them, its time scaled to all of them.
    var classified = spark.read().parquet(work.resolve("ddp/documents").toString()).select("clean");
    long unique = classified.count();
    int limit = (int) Math.min(unique, Long.getLong("ddp.bench.loopLimit", Integer.MAX_VALUE));
    List<String> texts = classified.limit(limit).collectAsList().stream().map(row -> row.getString(0)).toList();
    detectorLoop(texts, cores, Math.min(texts.size(), 2000)); // warm-up
    Outcome sampled = measure("(c) detector alone", () -> {
      detectorLoop(texts, cores, texts.size());
      return Map.of();
    });
    Outcome loop = new Outcome(sampled.name(), sampled.seconds() * unique / texts.size(), sampled.cpu(), Map.of());
    spark.stop();

    Outcome a = median(ddpRuns);
    System.out.printf(Locale.ROOT, "%nLanguage detection + dedup, %d documents (%s corpus, seed %d), %d cores; corpus written in %.1f s;"
        + " medians of %d rounds%n", n, kind, seed, cores, genSeconds, rounds);
    System.out.printf(Locale.ROOT, "%-26s %8s %9s %11s %6s %9s %9s %9s%n", "method", "seconds", "docs/s", "docs/s/core", "CPU",
        "lang acc", "dup prec", "dup rec");
    List<Outcome> table = new ArrayList<>(List.of(a));
    if (!skipHand) {
      table.add(median(handRuns));
    }
    for (Outcome o : table) {
      double[] q = quality(o.lang(), truth);
      System.out.printf(Locale.ROOT, "%-26s %8.1f %9.0f %11.1f %5.0f%% %9.4f %9.4f %9.4f%n", o.name(), o.seconds(), n / o.seconds(),
          n / o.seconds() / cores, o.cpu() * 100, q[0], q[1], q[2]);
    }
    System.out.printf(Locale.ROOT, "%-26s %8.1f %9.0f %11.1f %5.0f%%   (%d texts: the unique documents (a) classified%s)%n", loop.name(),
        loop.seconds(), n / loop.seconds(), n / loop.seconds() / cores, loop.cpu() * 100, unique,
        texts.size() < unique ? String.format(Locale.ROOT, "; timed on the first %d, scaled", texts.size()) : "");
    if (!skipHand) {
      List<Double> sorted = new ArrayList<>(ratios);
      sorted.sort(null);
      System.out.printf(Locale.ROOT, "DDP / hand-written Spark (throughput), median of per-round ratios: %.3f (rounds: %s)%n",
          sorted.get(sorted.size() / 2), ratios.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
    }
    System.out.printf(Locale.ROOT, "DDP / detector alone (throughput): %.3f%n", loop.seconds() / a.seconds());
    System.out.printf(Locale.ROOT, "docs/s per core: DDP %.1f; the paper (2.1M documents): Python single thread %.1f, Ray on 48 vCPU %.1f,"
        + " DDP on 48 vCPU %.1f%n", n / a.seconds() / cores, 2_100_000 / (2360 * 60.0), 2_100_000 / (75 * 60.0) / 48,
        2_100_000 / (13 * 60.0) / 48);
    System.out.println("\nper language (kept documents of (a)): truth  accuracy  documents");
    perLanguage(a.lang(), truth).forEach((lang, c) -> System.out.printf(Locale.ROOT, "  %-4s %s %.4f %7d%n", lang,
        LanguageCodes.supported(lang) ? " " : "*", c[0] / Math.max(1.0, c[1]), (long) c[1]));
    System.out.println("(* not a language of the model: not counted in lang acc)");
  }

  /** With -Dddp.bench.stages=true: each finished stage's name, tasks and summed task time, printed per round. */
  static final class StageLog extends org.apache.spark.scheduler.SparkListener {
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted done) {
      var info = done.stageInfo();
      long wall = info.completionTime().isDefined() && info.submissionTime().isDefined()
          ? (Long) info.completionTime().get() - (Long) info.submissionTime().get() : -1;
      lines.add(String.format(Locale.ROOT, "  stage %3d %-60.60s tasks %4d wall %6.1f s task time %6.1f s", info.stageId(),
          info.name(), info.numTasks(), wall / 1000.0, info.taskMetrics().executorRunTime() / 1000.0));
    }

    void print() {
      synchronized (lines) {
        lines.forEach(System.out::println);
        lines.clear();
      }
    }
  }

  static void write(String kind, int n, long seed, Path dir) throws Exception {
    if (kind.equals("generated")) {
      new CorpusGenerator(new CorpusGenerator.Settings(n, seed, 1000, 0.1, 0.05, CorpusGenerator.LANGUAGES)).write(dir);
    } else if (kind.equals("web")) {
      new LangidCorpus(LangidCorpus.Settings.web(n, seed)).write(dir);
    } else {
      throw new IllegalArgumentException("-Dddp.bench.corpus must be web or generated, not " + kind);
    }
  }

  static Map<String, String[]> truth(Path corpus) throws Exception {
    Map<String, String[]> truth = new HashMap<>();
    try (var lines = Files.lines(corpus.resolve("labels.csv"))) {
      lines.skip(1).forEach(line -> {
        String[] f = line.split(",", -1);
        truth.put(f[0], f);
      });
    }
    return truth;
  }

  interface Job {
    Map<String, String> run() throws Exception;
  }

  static Outcome measure(String name, Job job) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Map<String, String> lang = job.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / seconds / Runtime.getRuntime().availableProcessors();
    return new Outcome(name, seconds, cpu, lang);
  }

  /** The run with the median time (the upper middle one for an even count). */
  static Outcome median(List<Outcome> runs) {
    List<Outcome> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Outcome::seconds));
    return sorted.get(sorted.size() / 2);
  }

  static Map<String, String> ddp(SparkSession spark, Path pipeline, Path corpus, Path out) {
    PipelineTester.of(spark, pipeline).var("corpus", corpus.toString()).var("out", out.toString()).writeSinks(true).run();
    return kept(spark, out.resolve("documents"));
  }

  static Map<String, String> kept(SparkSession spark, Path dir) {
    Map<String, String> lang = new HashMap<>();
    for (Row r : spark.read().parquet(dir.toString()).select("url", "lang").collectAsList()) {
      lang.put(r.getString(0), r.getString(1));
    }
    return lang;
  }

  /** The detector and the pipe's rule (threshold by script) over {@code count} texts, on {@code threads} threads. */
  static void detectorLoop(List<String> texts, int threads, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = (int) ((long) count * t / threads);
        int to = (int) ((long) count * (t + 1) / threads);
        parts.add(pool.submit(() -> {
          LanguageDetectorME detector = new LanguageDetectorME(DetectLanguage.model());
          int named = 0;
          for (int i = from; i < to; i++) {
            named += DetectLanguage.detect(detector, texts.get(i)).equals("und") ? 0 : 1;
          }
          return named;
        }));
      }
      for (Future<Integer> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Language accuracy of the kept documents whose true language the model knows; duplicate precision
   * and recall: a removed document is right when another document of its truth group (an original and
   * its copies) was kept.
   */
  static double[] quality(Map<String, String> lang, Map<String, String[]> truth) {
    long known = 0;
    long right = 0;
    for (Map.Entry<String, String> e : lang.entrySet()) {
      String t = truth.get(e.getKey())[1];
      if (LanguageCodes.supported(t)) {
        known++;
        right += t.equals(e.getValue()) ? 1 : 0;
      }
    }
    Map<String, Integer> keptPerGroup = new HashMap<>();
    lang.keySet().forEach(url -> keptPerGroup.merge(group(truth, url), 1, Integer::sum));
    long copies = truth.values().stream().filter(t -> !t[2].equals("original")).count();
    long removed = 0;
    long removedRight = 0;
    for (String url : truth.keySet()) {
      if (!lang.containsKey(url)) {
        removed++;
        removedRight += keptPerGroup.getOrDefault(group(truth, url), 0) > 0 ? 1 : 0;
      }
    }
    return new double[] {(double) right / Math.max(1, known), (double) removedRight / Math.max(1, removed),
        (double) removedRight / Math.max(1, copies)};
  }

  /** Between timed runs: the round's quality, so that a long run shows it early. */
  static void printQuality(int round, Outcome o, Map<String, String[]> truth) {
    double[] q = quality(o.lang(), truth);
    System.out.printf(Locale.ROOT, "round %d quality (DDP): accuracy %.4f, duplicate precision %.4f, recall %.4f%n", round + 1,
        q[0], q[1], q[2]);
  }

  static String group(Map<String, String[]> truth, String url) {
    String[] t = truth.get(url);
    return t[2].equals("original") ? url : t[3];
  }

  /** Per true language: [right, kept]. */
  static Map<String, double[]> perLanguage(Map<String, String> lang, Map<String, String[]> truth) {
    Map<String, double[]> out = new TreeMap<>();
    lang.forEach((url, l) -> {
      String t = truth.get(url)[1];
      double[] c = out.computeIfAbsent(t, k -> new double[2]);
      c[0] += t.equals(l) ? 1 : 0;
      c[1]++;
    });
    return out;
  }
}
