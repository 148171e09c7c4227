package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Datasets held in this JVM under a name (the {@code location}), for tests and notebooks:
 * {@code {"dataId": "Orders", "format": "memory", "location": "orders"}}. Put data in with
 * {@link #put(String, Dataset)} or by writing a sink; read it back with {@link #get(String)}.
 */
public final class MemoryFormat implements DatasetFormat {
  private static final Map<String, Dataset<Row>> TABLES = new ConcurrentHashMap<>();

  /** Makes {@code rows} readable as {@code "format": "memory", "location": name}. */
  public static void put(String name, Dataset<Row> rows) {
    TABLES.put(name, rows);
  }

  /** What was written (or put) under the name. */
  public static Dataset<Row> get(String name) {
    Dataset<Row> rows = TABLES.get(name);
    if (rows == null) {
      throw new DdpException("No in-memory dataset '" + name + "'; write it first or register it with MemoryFormat.put; known: "
          + new java.util.TreeSet<>(TABLES.keySet()));
    }
    return rows;
  }

  /** Forgets the dataset and releases its snapshot. */
  public static void remove(String name) {
    Dataset<Row> rows = TABLES.remove(name);
    if (rows != null) {
      rows.unpersist(false);
    }
  }

  @Override
  public Set<String> names() {
    return Set.of("memory");
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) {
    return get(data.location());
  }

  /**
   * Stores a snapshot: the rows are computed now (one job) and kept in memory, so that what was
   * written does not change when its inputs do. {@link #remove(String)} releases it.
   */
  @Override
  public synchronized void write(Dataset<Row> data0, DataDeclare data, String path, Map<String, String> options) {
    Dataset<Row> rows = data0.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    rows.count();
    Dataset<Row> before = TABLES.get(path);
    switch (data.mode()) {
      case APPEND:
        TABLES.put(path, before == null ? rows : before.unionByName(rows));
        return;
      case IGNORE:
        TABLES.putIfAbsent(path, rows);
        return;
      case ERROR_IF_EXISTS:
        if (before != null) {
          throw new DdpException("Cannot write dataset '" + data.dataId() + "': in-memory dataset '" + path
              + "' exists and the mode is errorIfExists");
        }
        TABLES.put(path, rows);
        return;
      default:
        TABLES.put(path, rows);
    }
  }

  @Override
  public boolean writesFiles() {
    return false;
  }

  @Override
  public boolean locationIsPath(DataDeclare data) {
    return false;
  }
}
