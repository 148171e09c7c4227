package io.ddp.io.crypto;

import io.ddp.core.text.Suggestions;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Finds the key service a dataset's {@code "keyService"} names, and keeps one instance per
 * configuration per JVM (driver and each executor: the instance scope), shared by all tasks.
 *
 * <p>A key service is configured with Spark settings {@code spark.ddp.keyService.NAME.SETTING}. Its
 * {@code type} is {@code aws-kms}, {@code local}, or the class name of a {@link KeyService} with a
 * public {@code (String name, Map<String, String> settings)} constructor. The names {@code kms} and
 * {@code local} need no settings: their types default to {@code aws-kms} and {@code local}.
 * Settings hold no secrets (credentials and keystore passwords come from the environment), since
 * they travel to executors with the job.
 */
public final class KeyServices {
  /** Spark configuration prefix of key service settings. */
  public static final String SPARK_PREFIX = "spark.ddp.keyService.";
  /** The same settings inside a Hadoop configuration (Parquet's KMS client reads them there). */
  public static final String HADOOP_PREFIX = "ddp.keyService.";
  public static final List<String> TYPES = List.of("aws-kms", "local");

  private static final Map<Config, KeyService> INSTANCES = new ConcurrentHashMap<>();

  private KeyServices() {}

  /** A key service's name and settings (type included); travels to executors. */
  public record Config(String name, Map<String, String> settings) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Config {
      settings = new TreeMap<>(settings);
    }

    public String type() {
      String type = settings.get("type");
      if (type != null) {
        return type;
      }
      return "kms".equals(name) ? "aws-kms" : "local".equals(name) ? "local" : null;
    }
  }

  /** The settings of key service {@code name} among {@code all} keys that start with {@code prefix}. */
  public static Config config(String name, Map<String, String> all, String prefix) {
    Map<String, String> settings = new TreeMap<>();
    String p = prefix + name + ".";
    all.forEach((k, v) -> {
      if (k.startsWith(p)) {
        settings.put(k.substring(p.length()), v);
      }
    });
    return new Config(name, settings);
  }

  /** What is wrong with a configuration, or null: an unknown or missing type. */
  public static String problem(Config config) {
    String type = config.type();
    if (type == null) {
      return "key service '" + config.name() + "' is not configured: set " + SPARK_PREFIX + config.name()
          + ".type to aws-kms or local (the names kms and local need no settings)" + Suggestions.didYouMean(config.name(), List.of("kms", "local"));
    }
    if (!TYPES.contains(type) && !type.contains(".")) {
      return "key service '" + config.name() + "' has unknown type '" + type + "'" + Suggestions.didYouMean(type, TYPES)
          + "; use aws-kms, local, or the class name of a KeyService";
    }
    return null;
  }

  /** The JVM's instance for this configuration, created on first use. */
  public static KeyService get(Config config) {
    return INSTANCES.computeIfAbsent(config, KeyServices::create);
  }

  private static KeyService create(Config config) {
    String problem = problem(config);
    if (problem != null) {
      throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, null, "Cannot use " + problem);
    }
    switch (config.type()) {
      case "aws-kms":
        return new AwsKmsKeyService(config.name(), config.settings());
      case "local":
        return new LocalKeyService(config.name(), config.settings());
      default:
        try {
          return (KeyService) Class.forName(config.type(), true, Thread.currentThread().getContextClassLoader())
              .getConstructor(String.class, Map.class).newInstance(config.name(), config.settings());
        } catch (InvocationTargetException e) {
          throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
              : new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, null, "Cannot create key service '" + config.name() + "'", e);
        } catch (ReflectiveOperationException | ClassCastException e) {
          throw new KeyServiceException(KeyServiceException.Reason.UNAVAILABLE, null, "Cannot create key service '" + config.name()
              + "' of type " + config.type() + ": " + e + "; the class must implement io.ddp.io.crypto.KeyService and have a public"
              + " (String, Map<String, String>) constructor", e);
        }
    }
  }

  /** Copies a configuration into Hadoop-style keys ({@code ddp.keyService.NAME.SETTING}). */
  public static void export(Config config, BiConsumer<String, String> sink) {
    config.settings().forEach((k, v) -> sink.accept(HADOOP_PREFIX + config.name() + "." + k, v));
  }

  /** Forgets every instance (tests that change settings under the same name). */
  public static void reset() {
    INSTANCES.values().forEach(KeyService::close);
    INSTANCES.clear();
  }
}
