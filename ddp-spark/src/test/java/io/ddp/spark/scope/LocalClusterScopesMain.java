package io.ddp.spark.scope;

import io.ddp.core.pipe.Scopes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs in its own JVM as the driver of a {@code local-cluster[2,1,1024]}: two executor JVMs, 16
 * partitions, two jobs. Prints what each scope created, for {@link LocalClusterScopesTest}.
 */
public final class LocalClusterScopesMain {
  private LocalClusterScopesMain() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("ddp-scopes")
        .config("spark.executor.memory", "1024m")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .getOrCreate();
    try {
      LongAccumulator instances = spark.sparkContext().longAccumulator("instances");
      LongAccumulator partitions = spark.sparkContext().longAccumulator("partitions");
      Scopes.Scoped<String> model = SparkScopes.INSTANCE.instance("test-model", () -> {
        instances.add(1);
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
      });
      Scopes.Scoped<String> buffer = SparkScopes.INSTANCE.partition("test-buffer", () -> {
        partitions.add(1);
        return UUID.randomUUID().toString();
      });
      MapPartitionsFunction<Long, String> use = it -> {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
          it.next();
          out.add(ManagementFactory.getRuntimeMXBean().getName() + "|" + model.get() + "|" + buffer.get());
        }
        return out.iterator();
      };
      List<String> first = spark.range(0, 4000, 1, 16).as(Encoders.LONG()).mapPartitions(use, Encoders.STRING()).distinct().collectAsList();
      List<String> second = spark.range(0, 4000, 1, 16).as(Encoders.LONG()).mapPartitions(use, Encoders.STRING()).distinct().collectAsList();
      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      System.out.println("RESULT jvms=" + all.stream().map(s -> s.split("\\|")[0]).distinct().count());
      System.out.println("RESULT instanceObjects=" + all.stream().map(s -> s.split("\\|")[1]).distinct().count());
      System.out.println("RESULT instanceCreations=" + instances.value());
      System.out.println("RESULT partitionObjects=" + all.stream().map(s -> s.split("\\|")[2]).distinct().count());
      System.out.println("RESULT partitionCreations=" + partitions.value());
      System.out.println("RESULT driverJvm=" + ManagementFactory.getRuntimeMXBean().getName());
    } finally {
      spark.stop();
    }
  }
}
