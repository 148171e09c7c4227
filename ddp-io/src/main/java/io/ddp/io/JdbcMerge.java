package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MergeDeclare;
import io.ddp.core.text.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code "mode": "merge"} on a PostgreSQL table: each partition upserts its rows with
 * {@code INSERT ... ON CONFLICT (keys) DO UPDATE} (under {@code updateWhen}, over {@code EXCLUDED} for
 * the new row and {@code target} for the stored one) and deletes the rows {@code deleteWhen} marks,
 * in batches of option {@code batchsize} (1000), one transaction per partition. A missing table is
 * created by Spark's JDBC writer with the rows that are not deletions, and given a unique index on the
 * keys, which {@code ON CONFLICT} needs; an existing table must have one.
 */
final class JdbcMerge {
  private static final String DELETE_FLAG = "__ddp_delete";

  private JdbcMerge() {}

  /** Whether the database at this URL has {@code INSERT ... ON CONFLICT}. */
  static boolean supported(String url) {
    return url != null && url.startsWith("jdbc:postgresql:");
  }

  static void write(Dataset<Row> rows, DataDeclare data, Map<String, String> options) {
    String url = options.get("url");
    String table = options.get("dbtable");
    MergeDeclare merge = data.merge();
    Properties connection = new Properties();
    options.forEach(connection::setProperty);
    String insertWhen = merge.deleteWhen() == null ? null : "NOT coalesce(" + merge.deleteWhen() + ", false)";
    if (!exists(url, connection, table, data)) {
      Dataset<Row> initial = insertWhen == null ? rows : rows.as("source").where(functions.expr(insertWhen));
      initial.write().format("jdbc").mode(SaveMode.ErrorIfExists).options(options).save();
      execute(url, connection, data, "CREATE UNIQUE INDEX IF NOT EXISTS " + quote(indexName(table)) + " ON " + table + " ("
          + merge.keys().stream().map(JdbcMerge::quote).collect(Collectors.joining(", ")) + ")");
      return;
    }
    String conflictKeys = merge.keys().stream().map(JdbcMerge::quote).collect(Collectors.joining(", "));
    if (!uniqueOn(url, connection, table, merge.keys(), data)) {
      throw new DdpException("Cannot merge into table " + table + " of dataset '" + data.dataId() + "': the table has no unique"
          + " index on the merge keys " + merge.keys() + ", which INSERT ... ON CONFLICT needs; create it: CREATE UNIQUE INDEX ON "
          + table + " (" + conflictKeys + ")");
    }
    List<String> columns = List.of(rows.columns());
    String cols = columns.stream().map(JdbcMerge::quote).collect(Collectors.joining(", "));
    String updates = columns.stream().filter(c -> !merge.keys().contains(c)).map(c -> quote(c) + " = EXCLUDED." + quote(c))
        .collect(Collectors.joining(", "));
    String upsert = "INSERT INTO " + table + " AS target (" + cols + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT (" + conflictKeys + ") "
        + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + updates
            + (merge.updateWhen() == null ? "" : " WHERE " + merge.updateWhen().replaceAll("(?i)\\bsource\\s*\\.", "EXCLUDED.")));
    String delete = "DELETE FROM " + table + " WHERE "
        + merge.keys().stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
    Dataset<Row> flagged = rows.as("source").withColumn(DELETE_FLAG,
        merge.deleteWhen() == null ? functions.lit(false) : functions.expr("coalesce(" + merge.deleteWhen() + ", false)"));
    int[] keyIndex = merge.keys().stream().mapToInt(columns::indexOf).toArray();
    int[] sqlTypes = java.util.Arrays.stream(rows.schema().fields()).mapToInt(f -> sqlType(f.dataType())).toArray();
    int batch = Integer.parseInt(options.getOrDefault("batchsize", "1000"));
    Map<String, String> props = new LinkedHashMap<>(options);
    String dataId = data.dataId();
    flagged.foreachPartition((ForeachPartitionFunction<Row>) it -> upsertPartition(it, url, props, upsert, delete, keyIndex, sqlTypes,
        columns.size(), batch, dataId));
  }

  private static void upsertPartition(Iterator<Row> it, String url, Map<String, String> options, String upsert, String delete,
      int[] keyIndex, int[] sqlTypes, int width, int batch, String dataId) throws SQLException {
    if (!it.hasNext()) {
      return;
    }
    Properties p = new Properties();
    options.forEach(p::setProperty);
    try (Connection c = DriverManager.getConnection(url, p)) {
      c.setAutoCommit(false);
      try (PreparedStatement up = c.prepareStatement(upsert); PreparedStatement del = c.prepareStatement(delete)) {
        int pendingUp = 0;
        int pendingDel = 0;
        while (it.hasNext()) {
          Row r = it.next();
          if (r.getBoolean(width)) {
            for (int k = 0; k < keyIndex.length; k++) {
              set(del, k + 1, r.get(keyIndex[k]), sqlTypes[keyIndex[k]]);
            }
            del.addBatch();
            if (++pendingDel >= batch) {
              del.executeBatch();
              pendingDel = 0;
            }
          } else {
            for (int i = 0; i < width; i++) {
              set(up, i + 1, r.get(i), sqlTypes[i]);
            }
            up.addBatch();
            if (++pendingUp >= batch) {
              up.executeBatch();
              pendingUp = 0;
            }
          }
        }
        if (pendingUp > 0) {
          up.executeBatch();
        }
        if (pendingDel > 0) {
          del.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        SQLException next = e.getNextException();
        throw new SQLException("dataset '" + dataId + "': " + Secrets.mask(e.getMessage()) + (next == null ? "" : " (" + Secrets.mask(next.getMessage()) + ")"),
            e.getSQLState());
      }
    }
  }

  private static void set(PreparedStatement s, int index, Object value, int sqlType) throws SQLException {
    if (value == null) {
      s.setNull(index, sqlType);
    } else if (value instanceof java.time.Instant) {
      s.setTimestamp(index, java.sql.Timestamp.from((java.time.Instant) value));
    } else if (value instanceof java.time.LocalDate) {
      s.setDate(index, java.sql.Date.valueOf((java.time.LocalDate) value));
    } else {
      s.setObject(index, value, sqlType);
    }
  }

  private static int sqlType(DataType t) {
    if (t.equals(DataTypes.LongType)) {
      return java.sql.Types.BIGINT;
    } else if (t.equals(DataTypes.IntegerType)) {
      return java.sql.Types.INTEGER;
    } else if (t.equals(DataTypes.ShortType)) {
      return java.sql.Types.SMALLINT;
    } else if (t.equals(DataTypes.ByteType)) {
      return java.sql.Types.SMALLINT;
    } else if (t.equals(DataTypes.DoubleType)) {
      return java.sql.Types.DOUBLE;
    } else if (t.equals(DataTypes.FloatType)) {
      return java.sql.Types.REAL;
    } else if (t.equals(DataTypes.BooleanType)) {
      return java.sql.Types.BOOLEAN;
    } else if (t.equals(DataTypes.StringType)) {
      return java.sql.Types.VARCHAR;
    } else if (t.equals(DataTypes.DateType)) {
      return java.sql.Types.DATE;
    } else if (t.equals(DataTypes.TimestampType) || t.equals(DataTypes.TimestampNTZType)) {
      return java.sql.Types.TIMESTAMP;
    } else if (t instanceof DecimalType) {
      return java.sql.Types.NUMERIC;
    } else if (t.equals(DataTypes.BinaryType)) {
      return java.sql.Types.BINARY;
    }
    throw new DdpException("mode merge on jdbc cannot write columns of type " + t.simpleString()
        + "; write them as strings (to_json) or use append");
  }

  private static boolean exists(String url, Properties connection, String table, DataDeclare data) {
    try (Connection c = DriverManager.getConnection(url, connection); Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) { // undefined_table
        return false;
      }
      throw new DdpException("Cannot merge into dataset '" + data.dataId() + "': " + Secrets.mask(e.getMessage(), data.options()), e);
    }
  }

  /** Whether a unique index (or primary key) of the table covers exactly the key columns. */
  private static boolean uniqueOn(String url, Properties connection, String table, List<String> keys, DataDeclare data) {
    String schema = null;
    String name = table;
    int dot = table.lastIndexOf('.');
    if (dot > 0) {
      schema = table.substring(0, dot).replace("\"", "");
      name = table.substring(dot + 1);
    }
    name = name.startsWith("\"") ? name.replace("\"", "") : name.toLowerCase(java.util.Locale.ROOT);
    java.util.Set<String> wanted = keys.stream().map(k -> k.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
    try (Connection c = DriverManager.getConnection(url, connection);
        java.sql.ResultSet r = c.getMetaData().getIndexInfo(null, schema, name, true, false)) {
      Map<String, java.util.Set<String>> indexes = new LinkedHashMap<>();
      while (r.next()) {
        String index = r.getString("INDEX_NAME");
        String column = r.getString("COLUMN_NAME");
        if (index != null && column != null) {
          indexes.computeIfAbsent(index, k -> new java.util.HashSet<>()).add(column.toLowerCase(java.util.Locale.ROOT));
        }
      }
      return indexes.values().stream().anyMatch(wanted::equals);
    } catch (SQLException e) {
      throw new DdpException("Cannot merge into dataset '" + data.dataId() + "': " + Secrets.mask(e.getMessage(), data.options()), e);
    }
  }

  private static void execute(String url, Properties connection, DataDeclare data, String sql) {
    try (Connection c = DriverManager.getConnection(url, connection); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new DdpException("Cannot merge into dataset '" + data.dataId() + "': " + Secrets.mask(e.getMessage(), data.options()), e);
    }
  }

  private static String indexName(String table) {
    return ("ddp_" + table.replaceAll("[^A-Za-z0-9_]", "_") + "_merge_keys").toLowerCase(java.util.Locale.ROOT);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
