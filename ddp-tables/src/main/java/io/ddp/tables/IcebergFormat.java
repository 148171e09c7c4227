package io.ddp.tables;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MergeDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.validate.Problems;
import io.ddp.io.DatasetFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Apache Iceberg tables, in a catalog DDP sets up from the declaration (no catalog service needed):
 *
 * <ul>
 *   <li>{@code "location": "/data/warehouse/events"} (or {@code s3a://...}): a table in a Hadoop
 *       catalog whose warehouse is the parent directory;
 *   <li>{@code "location": "db.events"} with {@code "options": {"catalog.type": "jdbc", "catalog.uri":
 *       "jdbc:sqlite:/data/catalog.db", "catalog.warehouse": "/data/warehouse"}} (or {@code hadoop}):
 *       a table in that catalog; every other {@code catalog.*} option is a catalog property;
 *   <li>{@code "location": "db.events"} with {@code "options": {"catalog": "prod"}}: a table in a
 *       catalog the session already has ({@code spark.sql.catalog.prod=...}).
 * </ul>
 *
 * <p>Every write is one Iceberg snapshot committed atomically by the catalog: a failed run leaves the
 * previous snapshot, concurrent appends both commit. Reads take {@code versionAsOf} (a snapshot id) or
 * {@code timestampAsOf}. Modes: {@code append}, {@code overwrite} (a snapshot replacing all rows),
 * {@code errorIfExists}, {@code ignore}, {@code merge} ({@code MERGE INTO} by the declared keys).
 * {@code "schemaPolicy": "evolve"} adds new columns to the table ({@code merge-schema}); an overwrite
 * then replaces the table's schema. {@code partitionBy} partitions a new table by identity.
 */
public final class IcebergFormat implements DatasetFormat {
  static final String EXTENSION = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
  /** The snapshot summary property holding DDP's commit tag. */
  static final String COMMIT_PROPERTY = "ddp.commit";
  private static final String CATALOG_PREFIX = "catalog.";

  @Override
  public Set<String> names() {
    return Set.of("iceberg");
  }

  @Override
  public Map<String, String> sessionConf() {
    return Map.of("spark.sql.extensions", EXTENSION);
  }

  @Override
  public boolean writesFiles() {
    return false;
  }

  @Override
  public boolean merges() {
    return true;
  }

  @Override
  public boolean evolvesSchema() {
    return true;
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) {
    String table = table(spark, data);
    return spark.read().format("iceberg").options(readOptions(options)).load(table);
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) {
    write(rows, data, path, options, null);
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options, String commitTag) {
    SparkSession spark = rows.sparkSession();
    String table = table(spark, data);
    boolean evolve = DataDeclare.SCHEMA_EVOLVE.equals(data.schemaPolicy());
    Map<String, String> writeOptions = readOptions(options);
    if (evolve) {
      writeOptions.put("merge-schema", "true");
    }
    Map<String, String> properties = commitTag == null ? Map.of() : Map.of(COMMIT_PROPERTY, commitTag);
    boolean exists = spark.catalog().tableExists(table);
    try {
      write(rows, data, table, writeOptions, properties, exists, evolve);
    } catch (RuntimeException e) {
      // Two writers creating one table at once (two pipes appending to a new table): the second finds it
      // created, and appends (or merges) into it instead.
      boolean addsRows = data.mode() == WriteMode.APPEND || data.mode() == WriteMode.MERGE;
      if (exists || !addsRows || !alreadyExists(e)) {
        throw e;
      }
      write(rows, data, table, writeOptions, properties, true, evolve);
    }
  }

  private static boolean alreadyExists(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      // A Hadoop table's first metadata file written by the other writer: CommitFailedException "Version 1 already exists".
      if (name.contains("AlreadyExists") || (name.equals("CommitFailedException") && String.valueOf(t.getMessage()).contains("already exists"))) {
        return true;
      }
    }
    return false;
  }

  private void write(Dataset<Row> rows, DataDeclare data, String table, Map<String, String> writeOptions,
      Map<String, String> properties, boolean exists, boolean evolve) {
    SparkSession spark = rows.sparkSession();
    try {
      CommitMetadata.withCommitProperties(properties, () -> {
        if (!exists) {
          int dot = table.lastIndexOf('.');
          if (!isPath(data.location()) && table.indexOf('.') < dot) {
            spark.sql("CREATE NAMESPACE IF NOT EXISTS " + table.substring(0, dot));
          }
          Dataset<Row> initial = rows;
          if (data.mode() == WriteMode.MERGE && Merges.insertWhen(data.merge()) != null) {
            initial = rows.as(Merges.SOURCE).where(functions.expr(Merges.insertWhen(data.merge())));
          }
          DataFrameWriterV2<Row> create = initial.writeTo(table).using("iceberg").options(writeOptions);
          if (evolve) {
            create = create.tableProperty("write.spark.accept-any-schema", "true");
          }
          if (!data.partitionBy().isEmpty()) {
            Column[] cols = data.partitionBy().stream().map(functions::col).toArray(Column[]::new);
            create.partitionedBy(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length)).create();
          } else {
            create.create();
          }
          return null;
        }
        switch (data.mode()) {
          case ERROR_IF_EXISTS:
            throw new DdpException("Iceberg table " + table + " already exists and the mode is errorIfExists; declare \"mode\":"
                + " \"append\", \"overwrite\" or \"merge\"");
          case IGNORE:
            return null;
          case APPEND:
            acceptAnySchema(spark, table, evolve);
            rows.writeTo(table).options(writeOptions).append();
            return null;
          case OVERWRITE:
            if (evolve) {
              DataFrameWriterV2<Row> replace = rows.writeTo(table).using("iceberg").options(writeOptions)
                  .tableProperty("write.spark.accept-any-schema", "true");
              if (!data.partitionBy().isEmpty()) {
                Column[] cols = data.partitionBy().stream().map(functions::col).toArray(Column[]::new);
                replace = replace.partitionedBy(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length));
              }
              replace.replace();
            } else {
              rows.writeTo(table).options(writeOptions).overwrite(functions.lit(true));
            }
            return null;
          case MERGE:
            acceptAnySchema(spark, table, evolve);
            merge(rows, table, data.merge(), evolve);
            return null;
          default:
            throw new IllegalStateException("mode " + data.mode());
        }
      }, RuntimeException.class);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "' to Iceberg table " + table + ": " + e.getMessage(), e);
    }
  }

  private static void acceptAnySchema(SparkSession spark, String table, boolean evolve) {
    if (evolve) {
      spark.sql("ALTER TABLE " + table + " SET TBLPROPERTIES ('write.spark.accept-any-schema' = 'true')");
    }
  }

  private static void merge(Dataset<Row> rows, String table, MergeDeclare merge, boolean evolve) {
    String view = "ddp_merge_source_" + UUID.randomUUID().toString().replace("-", "");
    rows.createOrReplaceTempView(view);
    try {
      StringBuilder sql = new StringBuilder("MERGE ").append(evolve ? "WITH SCHEMA EVOLUTION " : "").append("INTO ").append(table)
          .append(" AS ").append(Merges.TARGET).append(" USING ").append(view).append(" AS ").append(Merges.SOURCE)
          .append(" ON ").append(Merges.on(merge));
      if (merge.deleteWhen() != null) {
        sql.append(" WHEN MATCHED AND (").append(merge.deleteWhen()).append(") THEN DELETE");
      }
      sql.append(" WHEN MATCHED").append(merge.updateWhen() == null ? "" : " AND (" + merge.updateWhen() + ")").append(" THEN UPDATE SET *");
      String insert = Merges.insertWhen(merge);
      sql.append(" WHEN NOT MATCHED").append(insert == null ? "" : " AND " + insert).append(" THEN INSERT *");
      rows.sparkSession().sql(sql.toString());
    } finally {
      rows.sparkSession().catalog().dropTempView(view);
    }
  }

  /** The snapshot whose summary carries the tag, and the data files it added. */
  @Override
  public Optional<List<String>> committed(DataDeclare data, Configuration conf, String commitTag) {
    SparkSession spark = SparkSession.active();
    String name = table(spark, data);
    if (!spark.catalog().tableExists(name)) {
      return Optional.empty();
    }
    Table table;
    try {
      table = Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new DdpException("Cannot load Iceberg table " + name + " of dataset '" + data.dataId() + "': " + e.getMessage(), e);
    }
    for (Snapshot snapshot : table.snapshots()) {
      if (commitTag.equals(snapshot.summary().get(COMMIT_PROPERTY))) {
        List<String> files = new ArrayList<>();
        for (DataFile f : snapshot.addedDataFiles(table.io())) {
          files.add(f.location());
        }
        return Optional.of(files);
      }
    }
    return Optional.empty();
  }

  @Override
  public void check(DataDeclare data, String pointer, Problems problems) {
    String subject = "dataset '" + data.dataId() + "'";
    if (!data.hasLocation()) {
      problems.error(pointer, subject, "an iceberg dataset needs \"location\": a table directory (/data/warehouse/events),"
          + " or a table name (db.events) with option \"catalog\" or \"catalog.type\"");
      return;
    }
    boolean path = isPath(data.location());
    String type = data.options().get(CATALOG_PREFIX + "type");
    boolean named = data.options().containsKey("catalog");
    if (!path && !named && type == null) {
      problems.error(pointer + "/options", subject, "the table name '" + data.location() + "' needs its catalog: option"
          + " \"catalog\" (a catalog the session has) or \"catalog.type\" (hadoop or jdbc) with \"catalog.warehouse\"; or give a"
          + " directory as location");
    }
    if (type != null && !List.of("hadoop", "jdbc", "rest", "hive", "glue", "nessie").contains(type.toLowerCase(Locale.ROOT))) {
      problems.error(pointer + "/options/catalog.type", subject, "unknown Iceberg catalog type '" + type + "'; use hadoop or jdbc"
          + " (no service needed), or rest, hive, glue with their settings as catalog.* options");
    }
    if ("jdbc".equalsIgnoreCase(type) && !data.options().containsKey(CATALOG_PREFIX + "uri")) {
      problems.error(pointer + "/options", subject, "a jdbc catalog needs \"catalog.uri\" (e.g. jdbc:sqlite:/data/catalog.db)");
    }
    if (type != null && !data.options().containsKey(CATALOG_PREFIX + "warehouse") && !"rest".equalsIgnoreCase(type)) {
      problems.error(pointer + "/options", subject, "catalog type " + type + " needs \"catalog.warehouse\", the directory its"
          + " tables live under");
    }
    if (path && (named || type != null)) {
      problems.error(pointer + "/options", subject, "the location is a directory, so its table is in a Hadoop catalog of the"
          + " parent directory; give a table name (db.events) as location to use \"catalog\" options");
    }
    if (data.options().containsKey("versionAsOf") && data.options().containsKey("timestampAsOf")) {
      problems.error(pointer + "/options", subject, "give \"versionAsOf\" or \"timestampAsOf\", not both");
    }
  }

  /** A location with a slash (or a scheme) is a table directory; otherwise a table name in a catalog. */
  static boolean isPath(String location) {
    return location.contains("/") || location.contains(":");
  }

  /**
   * The table's name in a catalog of the session, registering DDP's catalog for it when needed:
   * {@code ddp_iceberg_<hash>.`events`} for a directory, {@code ddp_iceberg_<hash>.db.events} for
   * {@code catalog.*} options, {@code prod.db.events} for option {@code catalog}.
   */
  static String table(SparkSession spark, DataDeclare data) {
    String location = data.location();
    Map<String, String> properties = new TreeMap<>();
    String name;
    if (isPath(location)) {
      String trimmed = location.replaceAll("/+$", "");
      int slash = trimmed.lastIndexOf('/');
      String parent = slash <= 0 ? "/" : trimmed.substring(0, slash);
      if (!parent.contains(":") && !parent.startsWith("/")) {
        parent = new java.io.File(parent).getAbsolutePath();
      }
      properties.put("type", "hadoop");
      properties.put("warehouse", parent);
      name = Merges.quote(trimmed.substring(slash + 1));
    } else if (data.options().containsKey("catalog")) {
      return data.options().get("catalog") + "." + location;
    } else {
      data.options().forEach((k, v) -> {
        if (k.startsWith(CATALOG_PREFIX)) {
          properties.put(k.substring(CATALOG_PREFIX.length()), v);
        }
      });
      name = location;
      if ("jdbc".equalsIgnoreCase(properties.get("type"))) {
        // A catalog created by this Iceberg version supports views too (the older layout refuses a create).
        properties.putIfAbsent("jdbc.schema-version", "V1");
      }
    }
    String catalog = "ddp_iceberg_" + UUID.nameUUIDFromBytes(properties.toString().getBytes(StandardCharsets.UTF_8))
        .toString().replace("-", "").substring(0, 12);
    String key = "spark.sql.catalog." + catalog;
    synchronized (IcebergFormat.class) {
      if (!spark.conf().contains(key)) {
        properties.forEach((k, v) -> spark.conf().set(key + "." + k, v));
        spark.conf().set(key, "org.apache.iceberg.spark.SparkCatalog");
      }
    }
    return catalog + "." + name;
  }

  /** The options for Spark's reader and writer: without the catalog settings DDP consumes. */
  private static Map<String, String> readOptions(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach((k, v) -> {
      if (!k.equals("catalog") && !k.startsWith(CATALOG_PREFIX)) {
        out.put(k, v);
      }
    });
    return out;
  }

  @Override
  public boolean locationIsPath(DataDeclare data) {
    return isPath(data.location());
  }
}
