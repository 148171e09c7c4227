package io.ddp.examples.bench;

import io.ddp.examples.bench.baseline.HandWrittenQuickstart;
import io.ddp.examples.bench.baseline.HandWrittenWordCount;
import io.ddp.examples.bench.baseline.SparkAlone;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The loop of a pipe author, measured as they live it: whole processes, wall clock from the command to
 * its exit (JVM start, Spark start, the run, the JVM's exit), in interleaved rounds on one machine:
 * <ul>
 *   <li>the quickstart ({@code ./ddp run pipelines/quickstart.json}: 320 reviews, four pipes, the MiniLM
 *       ONNX model) against {@link HandWrittenQuickstart}, the same four steps and model in plain Spark
 *       written without DDP, on the same class path and JVM flags;</li>
 *   <li>a user's two-pipe word count over five lines ({@code pipelines/wordcount.json}, a groupBy)
 *       against {@link HandWrittenWordCount};</li>
 *   <li>each DDP run twice: as it is ("now") and with its start-up work switched off ("before":
 *       {@code DDP_CDS=off}, {@code --conf spark.ddp.fastStart=false}), so the gain is measured in the
 *       same run;</li>
 *   <li>the floor: {@link SparkAlone}, a Spark program that starts, reads the five lines, counts them and
 *       stops; and the same with one {@code lower()} (Spark 4 builds its case-mapping table from every
 *       Unicode code point on a JVM's first case mapping);</li>
 *   <li>what the launcher adds: {@code ./ddp --version} against the same JVM command without the script;</li>
 *   <li>at scale, that the start-up work costs nothing there: the language-detection pipeline on the
 *       web corpus (default 100,000 documents), before and now.</li>
 * </ul>
 * The outputs of DDP and of the hand-written programs are compared row for row in every round.
 * Prints each round and the medians with their ratios.
 *
 * <p>Run from the DDP checkout: {@code DDP_MAIN_CLASS=io.ddp.examples.bench.FastFeedbackBenchmark ./ddp [rounds] [documents]}
 * (defaults 5 and 100000; 0 documents skips the scale check).
 */
public final class FastFeedbackBenchmark {
  private FastFeedbackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int documents = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    String launcher = System.getenv("DDP_LAUNCHER");
    if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
      throw new IllegalStateException("run me through the ddp launcher (DDP_MAIN_CLASS=" + FastFeedbackBenchmark.class.getName() + " ./ddp)");
    }
    Path home = Path.of(launcher).toAbsolutePath().getParent();
    Path work = Files.createTempDirectory("ddp-fast-feedback");
    List<String> jvmFlags = launcherJvmFlags();
    boolean archive = jvmFlags.stream().anyMatch(f -> f.startsWith("-XX:SharedArchiveFile="));
    System.out.printf(Locale.ROOT, "fast feedback, %d cores, %d rounds; class-data archive %s; work dir %s%n",
        Runtime.getRuntime().availableProcessors(), rounds, archive ? "in use" : "NOT in use (built with DDP_CDS=off?)", work);

    Runner run = new Runner(home, launcher, work, jvmFlags);
    Map<String, List<Double>> times = new LinkedHashMap<>();
    String quickstart = home.resolve("pipelines/quickstart.json").toString();
    String reviews = home.resolve("pipelines/data/reviews.csv").toString();
    String wordcount = home.resolve("pipelines/wordcount.json").toString();
    String lines = home.resolve("pipelines/data/five-lines.txt").toString();

    // One untimed pass of each: the page cache, DJL's extracted tokenizer library, the JIT of nothing.
    run.ddp(true, "warm-up", quickstart, "out");
    run.java("warm-up-hand", HandWrittenQuickstart.class.getName(), reviews, work.resolve("warm-up-hand/out").toString());

    for (int r = 1; r <= rounds; r++) {
      List<String> order = new ArrayList<>(List.of("quickstart: DDP now", "quickstart: DDP before", "quickstart: hand-written",
          "wordcount: DDP now", "wordcount: DDP before", "wordcount: hand-written"));
      Collections.rotate(order, r);
      StringBuilder line = new StringBuilder("round " + r + ":");
      for (String name : order) {
        String dir = "r" + r + "-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-");
        boolean now = name.endsWith("now");
        double s = switch (name) {
          case "quickstart: hand-written" -> run.java(dir, HandWrittenQuickstart.class.getName(), reviews, work.resolve(dir + "/out").toString());
          case "wordcount: hand-written" -> run.java(dir, HandWrittenWordCount.class.getName(), lines, work.resolve(dir + "/out").toString());
          default -> run.ddp(now, dir, name.startsWith("quickstart") ? quickstart : wordcount, "out");
        };
        times.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
        line.append(String.format(Locale.ROOT, " %s %.2f s;", name, s));
      }
      System.out.println(line);
      sameRows(work.resolve("r" + r + "-quickstart-ddp-now/out/scored_reviews"), work.resolve("r" + r + "-quickstart-hand-written/out"));
      sameRows(work.resolve("r" + r + "-quickstart-ddp-before/out/scored_reviews"), work.resolve("r" + r + "-quickstart-hand-written/out"));
      sameRows(work.resolve("r" + r + "-wordcount-ddp-now/out/counts"), work.resolve("r" + r + "-wordcount-hand-written/out"));
    }

    // The floor: Spark alone (session, read the five lines, count, stop), and with one lower() (Spark's case table).
    for (int r = 1; r <= rounds; r++) {
      times.computeIfAbsent("Spark alone", k -> new ArrayList<>()).add(run.java("floor-" + r, SparkAlone.class.getName(), lines));
      times.computeIfAbsent("Spark alone + lower()", k -> new ArrayList<>())
          .add(run.java("floor-lower-" + r, SparkAlone.class.getName(), lines, "--case-table"));
    }

    List<Double> launched = new ArrayList<>();
    List<Double> direct = new ArrayList<>();
    for (int r = 0; r < Math.max(rounds, 5); r++) {
      launched.add(run.timed(List.of(launcher, "--version"), Map.of(), work.resolve("launcher.log")));
      direct.add(run.timed(run.javaCommand("io.ddp.spark.DdpMain", "--version"), Map.of("CLASSPATH", run.ddpClassPath()),
          work.resolve("direct.log")));
    }

    System.out.printf(Locale.ROOT, "%nwall seconds, JVM start to exit, median of %d rounds (outputs equal to the hand-written ones in every round)%n", rounds);
    System.out.printf(Locale.ROOT, "%-30s %8s %8s %8s%n", "", "median", "min", "max");
    times.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-30s %8.2f %8.2f %8.2f%n", k, median(v), Collections.min(v), Collections.max(v)));
    for (String job : List.of("quickstart", "wordcount")) {
      double now = median(times.get(job + ": DDP now"));
      double before = median(times.get(job + ": DDP before"));
      double hand = median(times.get(job + ": hand-written"));
      System.out.printf(Locale.ROOT, "%s: DDP / hand-written %.2f now, %.2f before; now / before %.2f; DDP now %.2f s%n",
          job, now / hand, before / hand, now / before, now);
    }
    System.out.printf(Locale.ROOT, "launcher: ./ddp --version %.2f s, the same JVM command without the script %.2f s: the launcher adds %.2f s%n",
        median(launched), median(direct), median(launched) - median(direct));

    if (documents > 0) {
      Path corpus = work.resolve("corpus");
      LangdetectBenchmark.write("web", documents, 11, corpus);
      String langdetect = home.resolve("pipelines/langdetect.json").toString();
      List<Double> scaleNow = new ArrayList<>();
      List<Double> scaleBefore = new ArrayList<>();
      int scaleRounds = Math.max(2, rounds / 2);
      for (int r = 1; r <= scaleRounds; r++) {
        for (boolean now : r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          double s = run.ddp(now, "scale-" + r + (now ? "-now" : "-before"), langdetect, "out", "--var", "corpus=" + corpus);
          (now ? scaleNow : scaleBefore).add(s);
          System.out.printf(Locale.ROOT, "scale round %d: langdetect %d documents, DDP %s %.1f s%n", r, documents, now ? "now" : "before", s);
        }
      }
      System.out.printf(Locale.ROOT, "langdetect at %d documents: DDP now %.1f s, before %.1f s (medians of %d): now / before %.3f%n",
          documents, median(scaleNow), median(scaleBefore), scaleRounds, median(scaleNow) / median(scaleBefore));
    }
  }

  /** The flags the launcher gave this JVM (module openings, class-data archive), to start others alike. */
  static List<String> launcherJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
            || a.startsWith("-Dio.netty") || a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-Xlog:cds"))
        .toList();
  }

  /** Starts the processes of one benchmark and times them. */
  static final class Runner {
    private final Path home;
    private final String launcher;
    private final Path work;
    private final List<String> jvmFlags;

    Runner(Path home, String launcher, Path work, List<String> jvmFlags) {
      this.home = home;
      this.launcher = launcher;
      this.work = work;
      this.jvmFlags = jvmFlags;
    }

    String ddpClassPath() {
      return System.getProperty("java.class.path");
    }

    /** {@code ./ddp run PIPELINE --var VAR=dir/out}, now or with the start-up work off. */
    double ddp(boolean now, String dir, String pipeline, String outVar, String... more) throws Exception {
      Path d = work.resolve(dir);
      Files.createDirectories(d);
      List<String> cmd = new ArrayList<>(List.of(launcher, "run", pipeline, "--var", outVar + "=" + d.resolve("out"),
          "--state-dir", d.resolve("state").toString(), "--report", d.resolve("report.json").toString()));
      cmd.addAll(Arrays.asList(more));
      Map<String, String> env = new HashMap<>();
      if (!now) {
        cmd.addAll(List.of("--conf", "spark.ddp.fastStart=false"));
        env.put("DDP_CDS", "off");
      }
      return timed(cmd, env, d.resolve("log"));
    }

    /** A hand-written program: plain {@code java} with Spark's module flags, DDP's class path, no archive. */
    double java(String dir, String mainClass, String... args) throws Exception {
      Path d = work.resolve(dir);
      Files.createDirectories(d);
      List<String> cmd = new ArrayList<>(List.of(javaBin()));
      jvmFlags.stream().filter(f -> !f.contains("SharedArchiveFile") && !f.startsWith("-Xlog:cds")).forEach(cmd::add);
      cmd.add(mainClass);
      cmd.addAll(Arrays.asList(args));
      return timed(cmd, Map.of("CLASSPATH", ddpClassPath()), d.resolve("log"));
    }

    List<String> javaCommand(String mainClass, String... args) {
      List<String> cmd = new ArrayList<>(List.of(javaBin()));
      cmd.addAll(jvmFlags);
      cmd.add(mainClass);
      cmd.addAll(Arrays.asList(args));
      return cmd;
    }

    private static String javaBin() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code cmd} in the DDP checkout with {@code env} added; wall seconds; fails with the log's end on a non-zero exit. */
    double timed(List<String> cmd, Map<String, String> env, Path log) throws Exception {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().remove("DDP_JAVA_OPTS");
      pb.environment().remove("DDP_MAIN_CLASS");
      pb.environment().remove("DDP_LAUNCH_MS");
      pb.environment().remove("CLASSPATH");
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      int code = pb.start().waitFor();
      double s = (System.nanoTime() - t0) / 1e9;
      if (code != 0) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        throw new IllegalStateException(String.join(" ", cmd).substring(0, Math.min(300, String.join(" ", cmd).length())) + " exited with "
            + code + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      }
      return s;
    }
  }

  /** The header of a directory of CSV part files, then its rows sorted (files may split them differently). */
  static List<String> rows(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
      String header = null;
      List<String> out = new ArrayList<>();
      for (Path p : parts) {
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        if (!lines.isEmpty()) {
          header = lines.get(0);
          out.addAll(lines.subList(1, lines.size()));
        }
      }
      Collections.sort(out);
      if (header != null) {
        out.add(0, header);
      }
      return out;
    }
  }

  static void sameRows(Path ddp, Path hand) throws IOException {
    List<String> a = rows(ddp);
    List<String> b = rows(hand);
    if (a.isEmpty() || !a.equals(b)) {
      throw new IllegalStateException("outputs differ: " + ddp + " has " + a.size() + " lines, " + hand + " has " + b.size());
    }
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
