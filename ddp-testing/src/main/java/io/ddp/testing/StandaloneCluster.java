package io.ddp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: a Master and N Workers, each in its own JVM,
 * each Worker starting executor JVMs of its own, made from jars already on this machine (no Spark
 * download). {@link #submit} runs Spark's {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit})
 * against it in a further JVM, as a user would.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.builder(dir, sparkJars).workers(2).start()) {
 *   StandaloneCluster.Submission run = cluster.submit(List.of("--class", "io.ddp.spark.DdpMain", runnerJar, "run", "p.json"));
 *   assertThat(run.waitFor(Duration.ofMinutes(3))).isZero();
 * }
 * }</pre>
 *
 * <p>{@code sparkJars} are the jars of {@code SPARK_HOME/jars}: Spark's own, as in a Spark
 * distribution; the application's classes should reach the executors only through spark-submit
 * (the application jar and {@code --jars}), as on a real cluster. Ports are free ones chosen at start;
 * logs, the SPARK_HOME and the workers' directories (with each executor's {@code stderr}) are under
 * {@code dir}. Everything started is stopped by {@link #close()}, executors included.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** Spark's module flags for Java 17 (org.apache.spark.launcher.JavaModuleOptions). */
  public static final List<String> JAVA_MODULE_FLAGS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true");

  private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  private final Builder settings;
  private final Path home;
  private final int port;
  private final int uiPort;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Submission> submissions = new ArrayList<>();

  private StandaloneCluster(Builder settings, Path home, int port, int uiPort) {
    this.settings = settings;
    this.home = home;
    this.port = port;
    this.uiPort = uiPort;
  }

  /**
   * A cluster to be started in {@code dir} with {@code sparkJars} as its SPARK_HOME/jars.
   *
   * @param dir an empty or new directory for the SPARK_HOME, logs and worker directories
   * @param sparkJars Spark's jars (see {@link #classpathFile})
   */
  public static Builder builder(Path dir, List<Path> sparkJars) {
    return new Builder(dir, List.copyOf(sparkJars));
  }

  /** The jars listed in a class path file as Maven's {@code dependency:build-classpath} writes it. */
  public static List<Path> classpathFile(Path file) {
    try {
      String text = Files.readString(file).trim();
      List<Path> jars = new ArrayList<>();
      for (String entry : text.split(java.io.File.pathSeparator)) {
        if (!entry.isBlank()) {
          jars.add(Path.of(entry.trim()));
        }
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the class path file " + file, e);
    }
  }

  /** How the cluster is sized; {@link #start()} starts it. */
  public static final class Builder {
    private final Path dir;
    private final List<Path> sparkJars;
    private int workers = 2;
    private int cores = 1;
    private String memory = "1g";
    private Duration startTimeout = Duration.ofSeconds(90);

    private Builder(Path dir, List<Path> sparkJars) {
      this.dir = dir.toAbsolutePath().normalize();
      this.sparkJars = sparkJars;
    }

    /** Number of Worker JVMs (default 2). */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** Cores each Worker offers (default 1). */
    public Builder coresPerWorker(int n) {
      this.cores = n;
      return this;
    }

    /** Memory each Worker offers its executors, as Spark writes it (default {@code 1g}). */
    public Builder workerMemory(String memory) {
      this.memory = memory;
      return this;
    }

    /** How long the Master and all Workers may take to be alive (default 90 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Starts the Master and the Workers and waits until every Worker has registered.
     *
     * @throws IllegalStateException when they are not alive within the timeout (their logs are quoted)
     */
    public StandaloneCluster start() throws IOException, InterruptedException {
      Path home = dir.resolve("spark-home");
      Path jars = Files.createDirectories(home.resolve("jars"));
      for (Path jar : sparkJars) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalArgumentException("not a jar file: " + jar);
        }
        Path link = jars.resolve(jar.getFileName());
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, jar.toAbsolutePath());
        }
      }
      Files.createDirectories(dir.resolve("logs"));
      StandaloneCluster cluster = new StandaloneCluster(this, home, freePort(), freePort());
      try {
        cluster.startDaemons();
      } catch (IOException | InterruptedException | RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** The Master's web UI ({@code /json/} gives its state). */
  public URI webUi() {
    return URI.create("http://127.0.0.1:" + uiPort + "/");
  }

  /** The SPARK_HOME the cluster runs from (its {@code jars} are links to the Spark jars). */
  public Path sparkHome() {
    return home;
  }

  /** The directory of Worker {@code i} (from 1): {@code APP-ID/EXECUTOR-ID/stderr} for each executor. */
  public Path workerDir(int i) {
    return settings.dir.resolve("work/worker-" + i);
  }

  /** Each executor's {@code stderr} so far, by its path under the workers' directories. */
  public Map<Path, String> executorLogs(String appId) throws IOException {
    Map<Path, String> logs = new LinkedHashMap<>();
    for (int i = 1; i <= settings.workers; i++) {
      Path app = workerDir(i).resolve(appId);
      if (!Files.isDirectory(app)) {
        continue;
      }
      try (Stream<Path> executors = Files.list(app)) {
        for (Path e : executors.sorted().toList()) {
          Path stderr = e.resolve("stderr");
          if (Files.exists(stderr)) {
            logs.put(settings.dir.relativize(stderr), Files.readString(stderr));
          }
        }
      }
    }
    return logs;
  }

  /** The executor JVMs running now (children of the Worker JVMs). */
  public List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process daemon : daemons) {
      daemon.descendants().filter(p -> p.info().arguments().map(a -> List.of(a).contains(EXECUTOR_MAIN)).orElse(false))
          .filter(ProcessHandle::isAlive).forEach(out::add);
    }
    out.sort(Comparator.comparingLong(ProcessHandle::pid));
    return out;
  }

  /**
   * Starts spark-submit against this cluster, in client mode, on a class path of the Spark jars only.
   *
   * @param args spark-submit's arguments after {@code --master} ({@code --class}, {@code --jars}, the
   *     application jar and its arguments); {@code --driver-class-path} is put on the driver JVM's class
   *     path, as Spark's launcher does in client mode
   * @param env extra environment for the driver (spark-submit) JVM
   */
  public Submission submit(List<String> args, Map<String, String> env) throws IOException {
    return submit(masterUrl(), args, env);
  }

  /**
   * Starts spark-submit with another master (say {@code local[2]}, to compare with a cluster run) on
   * the same Spark jars; its output is under this cluster's {@code logs} too.
   */
  public Submission submit(String master, List<String> args, Map<String, String> env) throws IOException {
    int n = submissions.size() + 1;
    Path log = settings.dir.resolve("logs/submit-" + n + ".log");
    // As Spark's launcher does in client mode, --driver-class-path goes on the driver JVM's class path
    // (before Spark's jars), and only there.
    List<String> rest = new ArrayList<>();
    String driverClassPath = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--driver-class-path") && i + 1 < args.size()) {
        driverClassPath = args.get(++i);
      } else {
        rest.add(args.get(i));
      }
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx1g");
    cmd.addAll(JAVA_MODULE_FLAGS);
    cmd.add("@" + argFile("submit-" + n, driverClassPath));
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.add("--master");
    cmd.add(master);
    cmd.addAll(rest);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(pb.environment());
    pb.environment().putAll(env);
    Submission s = new Submission(pb.start(), log);
    submissions.add(s);
    return s;
  }

  /** Starts spark-submit with no extra environment (see {@link #submit(List, Map)}). */
  public Submission submit(List<String> args) throws IOException {
    return submit(args, Map.of());
  }

  /** A running spark-submit: its driver process and its combined output. */
  public static final class Submission {
    private static final Pattern APP_ID = Pattern.compile("(app-\\d{14}-\\d{4,})");
    private final Process process;
    private final Path log;

    Submission(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    /** The driver (spark-submit) process. */
    public Process process() {
      return process;
    }

    /** Waits for the driver to exit; returns its exit code, or throws when it takes longer. */
    public int waitFor(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException("spark-submit did not finish within " + timeout + "; its output:\n" + output());
      }
      return process.exitValue();
    }

    /** What the driver printed so far (stdout and stderr). */
    public String output() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The application id the Master gave this run, once the driver has registered. */
    public Optional<String> appId() {
      Matcher m = APP_ID.matcher(output());
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  private void startDaemons() throws IOException, InterruptedException {
    daemons.add(daemon("master", "-Xmx512m", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort))));
    for (int i = 1; i <= settings.workers; i++) {
      Path work = Files.createDirectories(workerDir(i));
      daemons.add(daemon("worker-" + i, "-Xmx256m", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--cores", String.valueOf(settings.cores), "--memory", settings.memory, "--webui-port", "0",
          "--work-dir", work.toString(), masterUrl())));
    }
    long deadline = System.nanoTime() + settings.startTimeout.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int alive = -1;
    while (System.nanoTime() < deadline) {
      for (Process d : daemons) {
        if (!d.isAlive()) {
          throw new IllegalStateException("a cluster JVM exited at start (exit " + d.exitValue() + "); logs:\n" + logs());
        }
      }
      try {
        String state = http.send(HttpRequest.newBuilder(webUi().resolve("/json/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        alive = aliveWorkers(state);
        if (alive >= settings.workers) {
          return;
        }
      } catch (IOException e) {
        // The Master's UI is not up yet.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the cluster did not come up within " + settings.startTimeout + " (" + Math.max(alive, 0)
        + " of " + settings.workers + " workers alive); logs:\n" + logs());
  }

  /** Workers the Master's JSON ({@code /json/}) counts as alive. */
  static int aliveWorkers(String masterJson) {
    Matcher count = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(masterJson);
    if (count.find()) {
      return Integer.parseInt(count.group(1));
    }
    Matcher m = Pattern.compile("\"state\"\\s*:\\s*\"ALIVE\"").matcher(masterJson);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private Process daemon(String name, String heap, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add(heap);
    cmd.addAll(JAVA_MODULE_FLAGS);
    cmd.add("@" + argFile(name, null));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(settings.dir.resolve("logs/" + name + ".log").toFile());
    environment(pb.environment());
    // Executors inherit their Worker's environment: keep DDP's settings (key service secrets among
    // them) out, so that they reach executors only as a user configures them (spark.executorEnv.*).
    pb.environment().keySet().removeIf(k -> k.startsWith("DDP_"));
    return pb.start();
  }

  private void environment(Map<String, String> env) {
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // The workers' and executors' class path is SPARK_HOME/jars; nothing from this JVM leaks in.
    env.remove("CLASSPATH");
    env.remove("SPARK_CONF_DIR");
  }

  /** The class path in an argument file: a long command line can crash native libraries' start-up. */
  private Path argFile(String name, String before) throws IOException {
    Path file = settings.dir.resolve("logs/" + name + ".args");
    String cp = (before == null ? "" : before + java.io.File.pathSeparator) + home.resolve("jars") + "/*";
    Files.writeString(file, "-cp\n\"" + cp + "\"\n");
    return file;
  }

  private String logs() {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(settings.dir.resolve("logs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        sb.append("== ").append(f.getFileName()).append('\n');
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
      }
    } catch (IOException e) {
      sb.append("(cannot read the logs: ").append(e).append(')');
    }
    return sb.toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops every spark-submit still running, the executors, the Workers and the Master. */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Submission s : submissions) {
      s.process.descendants().forEach(all::add);
      all.add(s.process.toHandle());
    }
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).descendants().forEach(all::add);
      all.add(daemons.get(i).toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }
}
