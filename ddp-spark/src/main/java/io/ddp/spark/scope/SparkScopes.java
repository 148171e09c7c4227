package io.ddp.spark.scope;

import io.ddp.core.pipe.Scopes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scopes} on Spark. Instance-scoped objects live in a JVM-wide registry (one per executor JVM,
 * created under a per-key lock, closed by a shutdown hook); partition-scoped ones are attached to the
 * running task and closed by a task-completion listener.
 */
public final class SparkScopes implements Scopes {
  /** The one instance; it holds no state itself, the registries are static per JVM. */
  public static final SparkScopes INSTANCE = new SparkScopes();

  private static final Logger LOG = LoggerFactory.getLogger(SparkScopes.class);
  private static final Map<String, Object> INSTANCES = new ConcurrentHashMap<>();
  private static final Map<String, Object> PARTITIONS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(SparkScopes::closeInstances, "ddp-instance-scope-close"));
  }

  private SparkScopes() {}

  @Override
  public <T> Scoped<T> instance(String key, Factory<T> factory) {
    return new InstanceHandle<>(key, factory);
  }

  @Override
  public <T> Scoped<T> partition(String key, Factory<T> factory) {
    return new PartitionHandle<>(key, factory);
  }

  /** How many instance-scoped objects this JVM holds (for tests and diagnostics). */
  public static int instanceCount() {
    return INSTANCES.size();
  }

  static void closeInstances() {
    INSTANCES.forEach((key, value) -> close(key, value));
    INSTANCES.clear();
  }

  private static void close(String key, Object value) {
    if (value instanceof AutoCloseable) {
      try {
        ((AutoCloseable) value).close();
      } catch (Exception e) {
        LOG.warn("closing scoped object '{}' failed: {}", key, e.toString());
      }
    }
  }

  private static String executorId() {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    return env == null ? "none" : env.executorId();
  }

  private record InstanceHandle<T>(String key, Factory<T> factory) implements Scoped<T> {
    @Override
    @SuppressWarnings("unchecked")
    public T get() {
      Object value = INSTANCES.get(key);
      if (value == null) {
        // computeIfAbsent holds the key's lock while the factory runs: created once, even when many
        // task threads ask at the same moment.
        value = INSTANCES.computeIfAbsent(key, k -> {
          long t0 = System.nanoTime();
          T created = factory.get();
          // One line per object and JVM: on a cluster, each executor's log shows what it created.
          LOG.info("created instance-scoped '{}' in JVM {} (executor {}) in {} ms", k, ProcessHandle.current().pid(), executorId(),
              (System.nanoTime() - t0) / 1_000_000);
          return created;
        });
      }
      return (T) value;
    }
  }

  private record PartitionHandle<T>(String key, Factory<T> factory) implements Scoped<T> {
    @Override
    @SuppressWarnings("unchecked")
    public T get() {
      TaskContext task = TaskContext.get();
      if (task == null) {
        // Outside a task (on the driver): nothing to bind the lifetime to, so a fresh object.
        return factory.get();
      }
      String id = key + "@" + task.taskAttemptId();
      Object value = PARTITIONS.get(id);
      if (value == null) {
        value = PARTITIONS.computeIfAbsent(id, k -> {
          task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> close(k, PARTITIONS.remove(k)));
          return factory.get();
        });
      }
      return (T) value;
    }
  }
}
