package io.ddp.testing;

import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession per JVM for tests: {@code local[2]}, UI off, driver on 127.0.0.1, few shuffle
 * partitions, FAIR scheduling (as {@code ddp run} uses). Created on first use, stopped when the JVM exits.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      SparkSession.Builder builder = SparkSession.builder()
          .master("local[2]")
          .appName("ddp-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.scheduler.mode", "FAIR")
          .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/ddp-test-warehouse")
          .config("spark.plugins", profiler());
      tableFormats(builder);
      session = builder.getOrCreate();
      SparkSession created = session;
      Runtime.getRuntime().addShutdownHook(new Thread(created::stop, "ddp-test-spark-stop"));
    }
    return session;
  }

  /**
   * Delta Lake's and Iceberg's SQL extensions (and Delta's session catalog) when they are on the class
   * path, as {@code ddp run} sets them: both need them at session creation.
   */
  private static void tableFormats(SparkSession.Builder builder) {
    java.util.List<String> extensions = new java.util.ArrayList<>();
    if (loadable("io.delta.sql.DeltaSparkSessionExtension")) {
      extensions.add("io.delta.sql.DeltaSparkSessionExtension");
      builder.config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    if (loadable("org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")) {
      extensions.add("org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    }
    if (!extensions.isEmpty()) {
      builder.config("spark.sql.extensions", String.join(",", extensions));
    }
  }

  private static boolean loadable(String name) {
    try {
      Class.forName(name, false, SharedSpark.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** DDP's task profiler when it is on the class path (runs can then be profiled), else no plugin. */
  private static String profiler() {
    String name = "io.ddp.spark.profile.PipeProfiler";
    try {
      Class.forName(name, false, SharedSpark.class.getClassLoader());
      return name;
    } catch (ClassNotFoundException e) {
      return "";
    }
  }

  /**
   * Waits until Spark has delivered every event posted so far to its listeners. Listener events are
   * asynchronous: a test that counts jobs or reads progress right after an action must wait for them,
   * and a fixed sleep either fails under load or lets a late event pass unseen.
   */
  public static void awaitListenerEvents(SparkSession spark) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(TimeUnit.SECONDS.toMillis(60));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not empty within 60 s", e);
    }
  }

  /** Something a test runs, which may throw. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /**
   * How many Spark jobs started while {@code action} ran (counted by a listener, after every event
   * has been delivered): what a test asserts to prove that a check reads no data.
   */
  public static int jobsStartedBy(SparkSession spark, Action action) throws Exception {
    java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener count = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    awaitListenerEvents(spark);
    spark.sparkContext().addSparkListener(count);
    try {
      action.run();
      awaitListenerEvents(spark);
    } finally {
      spark.sparkContext().removeSparkListener(count);
    }
    return jobs.get();
  }
}
