package io.ddp.spark.cli;

import io.ddp.core.model.PipelineDeclare;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession a pipeline runs in. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * The master to set on the builder, most specific first: {@code --master}; nothing when spark-submit
   * set one (SparkConf reads its system property, and a builder option would override it); then
   * {@code spark.master} from {@code --conf}; then from the pipeline; then {@code local[*]}.
   */
  static Optional<String> master(PipelineDeclare pipeline, Map<String, String> conf, Optional<String> master, String submitted) {
    if (master.isPresent()) {
      return master;
    }
    if (submitted != null) {
      return Optional.empty();
    }
    if (conf.containsKey("spark.master")) {
      return Optional.of(conf.get("spark.master"));
    }
    return Optional.of(pipeline.spark().getOrDefault("spark.master", "local[*]"));
  }

  /**
   * The plugins the session loads: the user's (from {@code conf}, else the pipeline, else spark-submit's),
   * and DDP's {@link io.ddp.spark.profile.PipeProfiler}, which samples nothing unless a run asks it to.
   */
  static String plugins(PipelineDeclare pipeline, Map<String, String> conf, String submitted) {
    String user = conf.containsKey("spark.plugins") ? conf.get("spark.plugins")
        : pipeline.spark().containsKey("spark.plugins") ? pipeline.spark().get("spark.plugins") : submitted;
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    if (user != null) {
      for (String p : user.split(",")) {
        if (!p.isBlank()) {
          all.add(p.strip());
        }
      }
    }
    all.add(io.ddp.spark.profile.PipeProfiler.class.getName());
    return String.join(",", all);
  }

  /**
   * What the formats on the class path need set when the session is created (Delta Lake's and
   * Iceberg's SQL extensions, Delta's session catalog), merged with the user's settings: extensions
   * are added to the user's list, any other key the user set is left as the user set it.
   */
  static Map<String, String> formatConf(PipelineDeclare pipeline, Map<String, String> conf) {
    Map<String, String> user = new java.util.HashMap<>(pipeline.spark());
    user.putAll(conf);
    String submitted = System.getProperty("spark.sql.extensions");
    if (submitted != null && !user.containsKey("spark.sql.extensions")) {
      user.put("spark.sql.extensions", submitted);
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    io.ddp.io.DeclaredIO.load(Thread.currentThread().getContextClassLoader()).sessionConf().forEach((k, v) -> {
      if (k.equals("spark.sql.extensions")) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        for (String e : (user.getOrDefault(k, "") + "," + v).split(",")) {
          if (!e.isBlank()) {
            all.add(e.strip());
          }
        }
        out.put(k, String.join(",", all));
      } else if (!user.containsKey(k) && System.getProperty(k) == null) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * A session for the pipeline: its {@code spark} conf, then {@code conf}; the master is
   * {@code master}, else what spark-submit set, else {@code spark.master} from {@code conf}, else the
   * pipeline's {@code spark.master}, else {@code local[*]}. Returns the active session (with the conf applied) when one exists.
   */
  public static SparkSession create(PipelineDeclare pipeline, Map<String, String> conf, Optional<String> master) {
    SparkSession.Builder builder = SparkSession.builder().appName("ddp: " + pipeline.name())
        // Concurrent pipes share the cluster fairly, each in its own pool, unless configured otherwise.
        .config("spark.scheduler.mode", "FAIR");
    pipeline.spark().forEach((k, v) -> {
      if (!k.equals("spark.master")) {
        builder.config(k, v);
      }
    });
    conf.forEach((k, v) -> {
      if (!k.equals("spark.master")) {
        builder.config(k, v);
      }
    });
    formatConf(pipeline, conf).forEach(builder::config);
    master(pipeline, conf, master, System.getProperty("spark.master")).ifPresent(builder::master);
    builder.config("spark.plugins", plugins(pipeline, conf, System.getProperty("spark.plugins")));
    return builder.getOrCreate();
  }
}
