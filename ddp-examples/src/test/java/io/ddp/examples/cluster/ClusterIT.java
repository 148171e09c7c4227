package io.ddp.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.examples.langdetect.CorpusGenerator;
import io.ddp.testing.SharedSpark;
import io.ddp.testing.StandaloneCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DDP on a real Spark standalone cluster (issue 19): a Master and two Workers on 127.0.0.1, one core
 * and 1 GB each, executors in their own JVMs, SPARK_HOME made of a Spark distribution's jars only
 * ({@code src/cluster/spark-home.xml}). Pipelines go through spark-submit with the runner jar, and the
 * user's pipes ({@code com.example.clusterpipes}) in their own jar with {@code --jars}. Each result
 * is compared row for row with the same submission on {@code local[2]}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A fixed development key for the local key service (base64 of 32 bytes); never a real one. */
  private static final String KEY = Base64.getEncoder().encodeToString("ddp-cluster-it-key-0123456789abc".getBytes());

  private Path work;
  private Path repo;
  private String runner;
  private String userJar;
  private StandaloneCluster cluster;
  private SparkSession spark;

  @BeforeAll
  void startCluster() throws Exception {
    repo = Path.of("..").toAbsolutePath().normalize();
    Path target = Path.of("target").toAbsolutePath();
    work = Files.createDirectories(target.resolve("cluster-it"));
    try (Stream<Path> files = Files.list(work)) {
      for (Path p : files.toList()) {
        deleteTree(p);
      }
    }
    try (Stream<Path> files = Files.list(target)) {
      runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no runner jar in target/: run 'mvn package' first")).toString();
    }
    userJar = userPipesJar(target.resolve("test-classes"), work.resolve("user-pipes.jar")).toString();
    cluster = StandaloneCluster.builder(work.resolve("cluster"), sparkJars(target)).workers(2).coresPerWorker(1)
        .workerMemory("1g").start();
    spark = SharedSpark.session();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void quickstartScoresTheSameRowsWithOneOnnxSessionPerExecutorJvm() throws Exception {
    Path local = work.resolve("quickstart-local");
    Path remote = work.resolve("quickstart-cluster");
    // The reviews in four files (four tasks per stage), and jobs that start only once both executors have
    // registered, with no wait for cached partitions' locality: each executor JVM scores.
    Path reviews = work.resolve("reviews");
    spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .schema("review_id BIGINT, product_id STRING, rating INT, title STRING, text STRING")
        .csv(repo.resolve("pipelines/data/reviews.csv").toString()).repartition(4)
        .write().option("header", "true").option("escape", "\"").csv(reviews.toString());
    List<String> spread = List.of("--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0", "--conf", "spark.locality.wait=0");
    String quickstart = repo.resolve("pipelines/quickstart.json").toString();
    runLocal("run", quickstart, "--var", "input=" + reviews, "--var", "out=" + local);
    StandaloneCluster.Submission s = run(cluster.masterUrl(), spread, "run", quickstart, "--var", "input=" + reviews,
        "--var", "out=" + remote);

    assertSameRows(csv(local.resolve("scored_reviews")), csv(remote.resolve("scored_reviews")), 320);
    assertThat(declaredMetrics(remote.resolve("metrics.jsonl"))).isEqualTo(declaredMetrics(local.resolve("metrics.jsonl")));

    Map<Path, String> logs = cluster.executorLogs(s.appId().orElseThrow());
    assertThat(logs).as("two executor JVMs ran the application").hasSize(2);
    Pattern created = Pattern.compile("created instance-scoped 'onnx:[^']*all-minilm[^']*' in JVM (\\d+)");
    logs.forEach((file, log) -> {
      List<String> jvms = new ArrayList<>();
      Matcher m = created.matcher(log);
      while (m.find()) {
        jvms.add(m.group(1));
      }
      assertThat(jvms).as("MiniLM sessions created by the executor JVM of " + file).hasSize(1);
    });
    assertThat(s.output()).as("the driver scored nothing itself").doesNotContain("created instance-scoped 'onnx:");
  }

  @Test
  void langdetectDetectsTheSameDocumentsWithTheSameMetrics() throws Exception {
    Path corpus = work.resolve("corpus");
    new CorpusGenerator(new CorpusGenerator.Settings(1500, 7, 600, 0.1, 0.05, CorpusGenerator.LANGUAGES)).write(corpus);
    Path local = work.resolve("langdetect-local");
    Path remote = work.resolve("langdetect-cluster");
    String langdetect = repo.resolve("pipelines/langdetect.json").toString();
    runLocal("run", langdetect, "--var", "corpus=" + corpus, "--var", "out=" + local);
    run(cluster.masterUrl(), List.of(), "run", langdetect, "--var", "corpus=" + corpus, "--var", "out=" + remote);
    Dataset<Row> expected = spark.read().parquet(local.resolve("documents").toString());
    long rows = expected.count();
    assertThat(rows).isGreaterThan(1000);
    assertSameRows(expected, spark.read().parquet(remote.resolve("documents").toString()), rows);
    Map<String, Double> metrics = declaredMetrics(local.resolve("metrics.jsonl"));
    assertThat(metrics).isNotEmpty();
    assertThat(declaredMetrics(remote.resolve("metrics.jsonl"))).isEqualTo(metrics);
  }

  @Test
  void aUserPipeFromItsOwnJarWithDeclaredAndCodeMetrics() throws Exception {
    Path input = work.resolve("users-input");
    spark.range(0, 5000, 1, 6).selectExpr("id", "CAST(id % 7 AS INT) AS bucket", "concat('user-', id) AS name")
        .write().parquet(input.toString());
    Path pipeline = writePipeline("users.json", input, "tagged", 0, "");
    Path local = work.resolve("users-local");
    Path remote = work.resolve("users-cluster");
    runLocal("run", pipeline.toString(), "--var", "out=" + local);
    run(cluster.masterUrl(), List.of("--jars", userJar), "run", pipeline.toString(), "--var", "out=" + remote);

    assertSameRows(spark.read().parquet(local.resolve("tagged").toString()), spark.read().parquet(remote.resolve("tagged").toString()),
        5000);
    Map<String, Double> metrics = declaredMetrics(remote.resolve("metrics.jsonl"));
    assertThat(metrics).containsEntry("taggedRows", 5000.0).containsEntry("rows{dataset=Tagged}", 5000.0)
        .containsEntry("rowsPerBucket{bucket=0,dataset=Tagged}", 715.0)
        .isEqualTo(declaredMetrics(local.resolve("metrics.jsonl")));
  }

  @Test
  void encryptedRecordAndDatasetModesWithTheLocalKeyServiceOnTheExecutors() throws Exception {
    Path input = work.resolve("secrets-input");
    spark.range(0, 3000, 1, 4).selectExpr("id", "concat('customer-', id) AS email", "CAST(id * 1.5 AS DOUBLE) AS amount")
        .write().parquet(input.toString());
    Path encrypt = work.resolve("encrypt.json");
    Files.writeString(encrypt, """
        {"name": "cluster-encrypt",
         "data": [
          {"dataId": "In", "location": "%s", "format": "parquet"},
          {"dataId": "ByRecord", "location": "${out}/by-record", "format": "parquet", "mode": "overwrite",
           "encryption": {"mode": "record", "keyService": "local", "columns": ["email"], "keyIdColumn": "key_id"}},
          {"dataId": "ByDataset", "location": "${out}/by-dataset", "format": "parquet", "mode": "overwrite",
           "encryption": {"mode": "dataset", "keyService": "local", "footerKeyId": "cluster-it"}}
         ],
         "transformers": [
          {"inputDataId": ["In"], "transformerType": "sql", "outputDataId": "ByRecord",
           "params": {"query": "SELECT id, email, amount, 'cluster-it' AS key_id FROM In"}},
          {"inputDataId": ["In"], "transformerType": "sql", "outputDataId": "ByDataset", "params": {"query": "SELECT * FROM In"}}
         ]}
        """.formatted(input));
    Path decrypt = work.resolve("decrypt.json");
    Files.writeString(decrypt, """
        {"name": "cluster-decrypt",
         "data": [
          {"dataId": "ByRecord", "location": "${out}/by-record", "format": "parquet",
           "encryption": {"mode": "record", "keyService": "local", "columns": ["email"], "keyIdColumn": "key_id"}},
          {"dataId": "ByDataset", "location": "${out}/by-dataset", "format": "parquet",
           "encryption": {"mode": "dataset", "keyService": "local", "footerKeyId": "cluster-it"}},
          {"dataId": "Both", "location": "${out}/decrypted", "format": "parquet", "mode": "overwrite"}
         ],
         "transformers": [
          {"inputDataId": ["ByRecord", "ByDataset"], "transformerType": "sql", "outputDataId": "Both",
           "params": {"query": "SELECT r.id, r.email, d.email AS email2, r.amount FROM ByRecord r JOIN ByDataset d ON r.id = d.id"}}
         ]}
        """);
    // The key reaches the driver through its environment and the executors through spark.executorEnv:
    // the Workers were started without it (StandaloneCluster passes no DDP_ variables on).
    List<String> keys = List.of("--conf", "spark.executorEnv.DDP_KEY_CLUSTER_IT=" + KEY);
    Map<String, String> env = Map.of("DDP_KEY_CLUSTER_IT", KEY);
    Path local = work.resolve("secrets-local");
    Path remote = work.resolve("secrets-cluster");
    for (Map.Entry<String, Path> e : Map.of("local[2]", local, cluster.masterUrl(), remote).entrySet()) {
      run(e.getKey(), keys, env, "run", encrypt.toString(), "--var", "out=" + e.getValue());
      run(e.getKey(), keys, env, "run", decrypt.toString(), "--var", "out=" + e.getValue());
    }
    Dataset<Row> decrypted = spark.read().parquet(remote.resolve("decrypted").toString());
    assertThat(decrypted.filter("email <> concat('customer-', id) OR email2 <> email").count()).isZero();
    assertSameRows(spark.read().parquet(local.resolve("decrypted").toString()), decrypted, 3000);
    // What the cluster wrote is not readable as plain data.
    assertThat(spark.read().parquet(remote.resolve("by-record").toString()).filter("email LIKE 'customer-%'").count())
        .as("record mode: no plain email on disk").isZero();
    assertThat(bytesContain(remote.resolve("by-dataset"), "customer-1")).as("dataset mode: no plain value in the files").isFalse();
  }

  @Test
  void anExecutorKilledWhileTheSinkIsWrittenLosesAndDuplicatesNothing() throws Exception {
    Path input = slowInput("kill-executor-input");
    Path pipeline = writePipeline("kill-executor.json", input, "slow", 6, "");
    Path out = work.resolve("kill-executor");
    StandaloneCluster.Submission s = submit(cluster.masterUrl(), List.of("--jars", userJar), Map.of(), "run", pipeline.toString(),
        "--var", "out=" + out);
    awaitTaskOutput(out, s);
    List<ProcessHandle> executors = cluster.executors();
    assertThat(executors).hasSize(2);
    ProcessHandle victim = executors.get(0);
    assertThat(victim.destroyForcibly()).isTrue();
    victim.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(s.waitFor(Duration.ofMinutes(5))).as(s.output()).isZero();
    assertThat(s.output()).as("Spark saw the executor go").containsAnyOf("Lost executor", "ExecutorLostFailure");
    Dataset<Row> written = spark.read().parquet(out.resolve("slow").toString());
    assertSameRows(spark.read().parquet(input.toString()).selectExpr("*", "'v1' AS tag"), written, 3200);
    assertThat(written.select("id").distinct().count()).isEqualTo(3200);
    // One stage, no shuffle: Spark counts a task's accumulator updates only when it succeeds, so the
    // code counter and the declared count are exact here (docs/deploy.md says when they are not).
    assertThat(declaredMetrics(out.resolve("metrics.jsonl"))).containsEntry("taggedRows", 3200.0)
        .containsEntry("rows{dataset=Tagged}", 3200.0);
  }

  @Test
  void aDriverKilledWhileOverwritingLeavesThePreviousContentAndResumeCompletes() throws Exception {
    Path input = slowInput("kill-driver-input");
    Path pipeline = writePipeline("kill-driver.json", input, "slow", "${ms}", ", \"ms\": \"6\"");
    Path out = work.resolve("kill-driver");
    runLocal("run", pipeline.toString(), "--var", "out=" + out, "--var", "ms=0");
    Dataset<Row> before = spark.read().parquet(input.toString()).selectExpr("*", "'v1' AS tag");
    assertSameRows(before, spark.read().parquet(out.resolve("slow").toString()), 3200);

    // The driver keeps its state and report where Hadoop writes them (here file: URIs; s3a:// or hdfs:// on a real cluster).
    String state = work.resolve("kill-driver-state").toUri().toString();
    String report = work.resolve("kill-driver-report.json").toUri().toString();
    StandaloneCluster.Submission s = submit(cluster.masterUrl(), List.of("--jars", userJar), Map.of(), "run", pipeline.toString(),
        "--var", "out=" + out, "--var", "tag=v2", "--state-dir", state, "--report", report);
    awaitTaskOutput(out, s);
    // spark-submit in client mode is the driver: SIGKILL, no shutdown hook runs.
    s.process().destroyForcibly();
    s.process().waitFor();
    assertSameRows(before, spark.read().parquet(out.resolve("slow").toString()), 3200);

    StandaloneCluster.Submission resumed = run(cluster.masterUrl(), List.of("--jars", userJar), "run", pipeline.toString(),
        "--var", "out=" + out, "--var", "tag=v2", "--resume", "--state-dir", state, "--report", report);
    assertThat(resumed.output()).contains("Resuming kill-driver: 1 pipes to write [Tagged]");
    assertThat(JSON.readTree(work.resolve("kill-driver-report.json").toFile()).path("status").asText()).isEqualTo("succeeded");
    assertSameRows(spark.read().parquet(input.toString()).selectExpr("*", "'v2' AS tag"),
        spark.read().parquet(out.resolve("slow").toString()), 3200);
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("the killed run's staging and lock are gone")
          .noneMatch(n -> n.contains(".ddp-"));
    }
  }

  @Test
  void executorsWithoutThePipesJarFailWithOneErrorNamingTheClass() throws Exception {
    Path input = work.resolve("missing-class-input");
    spark.range(0, 100, 1, 2).selectExpr("id", "CAST(id % 7 AS INT) AS bucket").write().parquet(input.toString());
    Path pipeline = writePipeline("missing-class.json", input, "tagged", 0, "");
    // The pipes' jar on the driver's class path only (spark.driver.extraClassPath, with DDP beside it):
    // the pipe plans on the driver, its function cannot be loaded by the executors.
    StandaloneCluster.Submission s = submit(cluster.masterUrl(), List.of("--driver-class-path", runner + ":" + userJar), Map.of(),
        "run",
        pipeline.toString(), "--var", "out=" + work.resolve("missing-class"));
    assertThat(s.waitFor(Duration.ofMinutes(5))).as(s.output()).isEqualTo(1);
    // Java names no class here: the function's class is missing, so its SerializedLambda cannot be resolved.
    assertThat(s.output()).contains("Pipe #1 com.example.clusterpipes.TagRows -> Tagged failed: the executors cannot load this"
        + " pipe's code").contains("ship it with spark-submit --jars");
    assertThat(Files.exists(work.resolve("missing-class/tagged"))).isFalse();
  }

  @Test
  void executorsWithoutANativeLibraryFailWithOneErrorNamingTheLibrary() throws Exception {
    Path input = work.resolve("missing-native-input");
    spark.range(0, 100, 1, 2).selectExpr("id").write().parquet(input.toString());
    Path pipeline = work.resolve("missing-native.json");
    Files.writeString(pipeline, """
        {"name": "missing-native",
         "data": [{"dataId": "In", "location": "%s", "format": "parquet"},
                  {"dataId": "Scored", "location": "${out}/scored", "format": "parquet", "mode": "overwrite"}],
         "transformers": [{"inputDataId": ["In"], "transformerType": "com.example.clusterpipes.NativeScore", "outputDataId": "Scored"}]}
        """.formatted(input));
    StandaloneCluster.Submission s = submit(cluster.masterUrl(), List.of("--jars", userJar), Map.of(), "run", pipeline.toString(),
        "--var", "out=" + work.resolve("missing-native"));
    assertThat(s.waitFor(Duration.ofMinutes(5))).as(s.output()).isEqualTo(1);
    assertThat(s.output()).contains("Pipe #1 com.example.clusterpipes.NativeScore -> Scored failed: the executors cannot load a"
        + " native library (UnsatisfiedLinkError: no ddp_cluster_it_scorer in java.library.path");
  }

  /** 3,200 rows in 8 files: with 6 ms a row, each of the 8 write tasks takes about 2.4 s. */
  private Path slowInput(String name) {
    Path input = work.resolve(name);
    spark.range(0, 3200, 1, 8).selectExpr("id", "CAST(id % 7 AS INT) AS bucket", "concat('user-', id) AS name")
        .write().parquet(input.toString());
    return input;
  }

  /** Waits until a write task has opened its file in the sink's staging directory. */
  private static void awaitTaskOutput(Path out, StandaloneCluster.Submission s) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(s.process().isAlive()).as("the run is still going: %s", s.output()).isTrue();
      if (Files.isDirectory(out)) {
        try (Stream<Path> files = Files.walk(out)) {
          if (files.anyMatch(p -> p.toString().contains(".ddp-staging-") && p.toString().contains("_temporary")
              && p.getFileName().toString().startsWith("part-"))) {
            return;
          }
        } catch (java.io.UncheckedIOException e) {
          // A directory vanished while walking (a task committed): look again.
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no write task started within 3 minutes: " + s.output());
  }

  // ---------------------------------------------------------------------------------------------

  private StandaloneCluster.Submission run(String master, List<String> sparkArgs, String... ddpArgs) throws Exception {
    return run(master, sparkArgs, Map.of(), ddpArgs);
  }

  /** spark-submit with the runner jar on {@code master}; asserts that it succeeded. */
  private StandaloneCluster.Submission run(String master, List<String> sparkArgs, Map<String, String> env, String... ddpArgs)
      throws Exception {
    StandaloneCluster.Submission s = submit(master, sparkArgs, env, ddpArgs);
    int code = s.waitFor(Duration.ofMinutes(5));
    assertThat(code).as("spark-submit --master %s %s exited %d:%n%s", master, String.join(" ", ddpArgs), code, s.output()).isZero();
    return s;
  }

  private StandaloneCluster.Submission submit(String master, List<String> sparkArgs, Map<String, String> env, String... ddpArgs)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=900m"));
    args.addAll(sparkArgs);
    args.addAll(List.of("--class", "io.ddp.spark.DdpMain", runner));
    args.addAll(List.of(ddpArgs));
    if (!List.of(ddpArgs).contains("--state-dir")) {
      args.addAll(List.of("--state-dir", work.resolve("state").toString()));
    }
    return cluster.submit(master, args, env);
  }

  /**
   * The same command in this JVM on the shared local[2] session: the reference a cluster run must
   * match (DDP's code path is the one spark-submit --master local[2] takes, without another JVM start).
   */
  private void runLocal(String... ddpArgs) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = io.ddp.spark.cli.DdpCommand.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of(ddpArgs));
    args.addAll(List.of("--state-dir", work.resolve("state-local").toString()));
    assertThat(spark.sparkContext().master()).isEqualTo("local[2]");
    int code = cli.execute(args.toArray(String[]::new));
    assertThat(code).as("ddp %s on local[2] exited %d:%n%s%n%s", String.join(" ", ddpArgs), code, out, err).isZero();
  }

  private Path writePipeline(String name, Path input, String sink, Object millisPerRow, String extra) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, """
        {"name": "%s",
         "data": [
          {"dataId": "Users", "location": "%s", "format": "parquet"},
          {"dataId": "Tagged", "location": "${out}/%s", "format": "parquet", "mode": "overwrite"}
         ],
         "transformers": [
          {"inputDataId": ["Users"], "transformerType": "com.example.clusterpipes.TagRows", "outputDataId": "Tagged",
           "params": {"tag": "${tag}", "millisPerRow": "%s"}}
         ],
         "variables": {"tag": "v1"%s},
         "metricsConfig": {"sinks": [{"type": "jsonl", "path": "${out}/metrics.jsonl"}]},
         "metrics": [
          {"metricId": "rows", "dataId": "Tagged", "expression": "count(1)", "unit": "Count"},
          {"metricId": "rowsPerBucket", "dataId": "Tagged", "expression": "count(1)", "groupBy": ["bucket"], "unit": "Count"}
         ]}
        """.formatted(name.replace(".json", ""), input, sink, millisPerRow, extra));
    return file;
  }

  /** Both have exactly the same rows (as a multiset), and {@code n} of them. */
  static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, long n) {
    assertThat(actual.schema().simpleString()).isEqualTo(expected.schema().simpleString());
    String[] columns = expected.columns();
    List<String> want = sortedRows(expected, columns);
    List<String> got = sortedRows(actual, columns);
    assertThat(got).hasSize((int) n);
    assertThat(got).as("the same rows as on local[2]").isEqualTo(want);
  }

  private static List<String> sortedRows(Dataset<Row> rows, String[] columns) {
    return rows.selectExpr(columns).collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }

  private Dataset<Row> csv(Path dir) {
    return spark.read().option("header", "true").csv(dir.toString());
  }

  /**
   * The final value of each declared metric, code counter and output row count in a jsonl metrics
   * file, by name and dimensions: not timings, and not the progress gauges sampled while pipes run.
   */
  static Map<String, Double> declaredMetrics(Path jsonl) throws IOException {
    Map<String, Double> out = new TreeMap<>();
    for (String line : Files.readAllLines(jsonl)) {
      JsonNode d = JSON.readTree(line);
      String name = d.path("name").asText();
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      boolean counted = !name.startsWith("pipe.") || name.equals("pipe.outputRows") || name.equals("pipe.succeeded");
      if (name.startsWith("ddp.") || !counted || lower.contains("seconds") || lower.contains("persecond")) {
        continue;
      }
      List<String> dims = new ArrayList<>();
      d.path("dimensions").fields().forEachRemaining(e -> {
        if (!List.of("pipeline", "pipe", "metric", "runId", "run").contains(e.getKey())) {
          dims.add(e.getKey() + "=" + e.getValue().asText());
        }
      });
      dims.sort(null);
      out.put(dims.isEmpty() ? name : name + "{" + String.join(",", dims) + "}", d.path("value").asDouble());
    }
    return out;
  }

  private static boolean bytesContain(Path dir, String text) throws IOException {
    byte[] needle = text.getBytes();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (content.contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The user's pipes as a jar of their own, as a user's build would make it. */
  static Path userPipesJar(Path testClasses, Path jar) throws IOException {
    Path root = testClasses.resolve("com/example/clusterpipes");
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
        Stream<Path> classes = Files.walk(root)) {
      for (Path c : classes.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        out.putNextEntry(new JarEntry(testClasses.relativize(c).toString().replace('\\', '/')));
        Files.copy(c, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /**
   * The jars of a Spark distribution: resolved by Maven from {@code src/cluster/spark-home.xml} (the
   * same way {@code ddp cluster start} does), offline when this build is.
   */
  static List<Path> sparkJars(Path target) throws Exception {
    Path file = target.resolve("spark-home.classpath");
    if (!Files.exists(file)) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn").toString(),
          "-B", "-q", "-f", Path.of("src/cluster/spark-home.xml").toAbsolutePath().toString(), "dependency:build-classpath",
          "-Dmdep.outputFile=" + file));
      String repoLocal = System.getProperty("maven.repo.local");
      if (repoLocal != null && !repoLocal.isBlank()) {
        cmd.add("-Dmaven.repo.local=" + repoLocal);
      }
      Path log = target.resolve("spark-home.log");
      // Offline first (this build has just resolved Spark), then online when something is missing.
      List<String> offline = new ArrayList<>(cmd);
      offline.add("-o");
      Process p = new ProcessBuilder(offline).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (p.waitFor() != 0) {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).as("resolving Spark's jars: %s", Files.readString(log)).isZero();
      }
    }
    return StandaloneCluster.classpathFile(file);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
