package io.ddp.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MergeDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.validate.Problems;
import io.ddp.io.DatasetFormat;
import io.ddp.io.SaveModes;
import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Delta Lake tables at a path (local, HDFS, s3a). Every write is one Delta transaction: the rows are
 * written as new files and become visible only when the commit enters {@code _delta_log}, so a failed
 * run leaves the previous version, and concurrent appends to one table both commit (Delta's
 * optimistic concurrency). DDP never stages or renames a Delta table.
 *
 * <ul>
 *   <li>read: the current version, or {@code "options": {"versionAsOf": "3"}} /
 *       {@code {"timestampAsOf": "2026-12-01 10:00:00"}} (time travel);
 *   <li>write: {@code append}, {@code overwrite} (a new version replacing the rows), {@code errorIfExists},
 *       {@code ignore}, {@code merge} ({@code MERGE INTO} by the declared keys, with delete and update
 *       conditions; a missing table is created from the rows that are not deletions);
 *   <li>{@code "schemaPolicy": "evolve"}: new columns are added to the table ({@code mergeSchema}), an
 *       overwrite replaces its schema ({@code overwriteSchema}); otherwise a different schema fails the write;
 *   <li>{@code partitionBy} partitions a new table (an existing table keeps its partitioning).
 * </ul>
 *
 * <p>Each write records DDP's commit tag as the commit's {@code userMetadata}, so that
 * {@code ddp run --resume} knows whether a failed run's write committed, and which files it added.
 */
public final class DeltaFormat implements DatasetFormat {
  static final String EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The session setting a merge's commit takes its user metadata from (a merge has no write options). */
  private static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";
  private static final Object MERGE_METADATA_LOCK = new Object();

  @Override
  public Set<String> names() {
    return Set.of("delta");
  }

  @Override
  public Map<String, String> sessionConf() {
    return Map.of("spark.sql.extensions", EXTENSION, "spark.sql.catalog.spark_catalog", CATALOG);
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
    requireSession(spark, data);
    return spark.read().format("delta").options(options).load(data.location());
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) {
    write(rows, data, path, options, null);
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options, String commitTag) {
    SparkSession spark = rows.sparkSession();
    requireSession(spark, data);
    boolean evolve = DataDeclare.SCHEMA_EVOLVE.equals(data.schemaPolicy());
    Map<String, String> writeOptions = new LinkedHashMap<>(options);
    if (commitTag != null) {
      writeOptions.put("userMetadata", commitTag);
    }
    if (data.mode() == WriteMode.MERGE) {
      if (DeltaTable.isDeltaTable(spark, path)) {
        merge(rows, data, path, evolve, commitTag);
        return;
      }
      String insert = Merges.insertWhen(data.merge());
      rows = insert == null ? rows : rows.as(Merges.SOURCE).where(functions.expr(insert));
    }
    if (evolve) {
      writeOptions.put(data.mode() == WriteMode.OVERWRITE ? "overwriteSchema" : "mergeSchema", "true");
    }
    SaveMode mode = data.mode() == WriteMode.MERGE ? SaveMode.Append : SaveModes.of(data.mode());
    DataFrameWriter<Row> writer = rows.write().format("delta").mode(mode).options(writeOptions);
    if (!data.partitionBy().isEmpty()) {
      writer = writer.partitionBy(data.partitionBy().toArray(new String[0]));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        writer.save(path);
        return;
      } catch (RuntimeException e) {
        // Two writers creating one table at once (two pipes appending to a new table): one commit wins,
        // the other is refused before anything of it became visible, and is retried on the new table.
        if (mode != SaveMode.Append || attempt >= 3 || !creationConflict(e)) {
          throw e;
        }
      }
    }
  }

  /** Delta's refusal of a commit because another writer created the table (its protocol or metadata) first. */
  private static boolean creationConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (name.equals("ProtocolChangedException") || name.equals("MetadataChangedException")) {
        return true;
      }
    }
    return false;
  }

  private static void merge(Dataset<Row> rows, DataDeclare data, String path, boolean evolve, String commitTag) {
    MergeDeclare merge = data.merge();
    SparkSession spark = rows.sparkSession();
    DeltaMergeBuilder builder = DeltaTable.forPath(spark, path).as(Merges.TARGET).merge(rows.as(Merges.SOURCE), Merges.on(merge));
    if (merge.deleteWhen() != null) {
      builder = builder.whenMatched(merge.deleteWhen()).delete();
    }
    builder = merge.updateWhen() == null ? builder.whenMatched().updateAll() : builder.whenMatched(merge.updateWhen()).updateAll();
    String insert = Merges.insertWhen(merge);
    builder = insert == null ? builder.whenNotMatched().insertAll() : builder.whenNotMatched(insert).insertAll();
    if (evolve) {
      builder = builder.withSchemaEvolution();
    }
    if (commitTag == null) {
      builder.execute();
      return;
    }
    // A merge takes its commit's user metadata from the session: one merge at a time sets it.
    synchronized (MERGE_METADATA_LOCK) {
      String before = spark.conf().contains(USER_METADATA_CONF) ? spark.conf().get(USER_METADATA_CONF) : null;
      spark.conf().set(USER_METADATA_CONF, commitTag);
      try {
        builder.execute();
      } finally {
        if (before == null) {
          spark.conf().unset(USER_METADATA_CONF);
        } else {
          spark.conf().set(USER_METADATA_CONF, before);
        }
      }
    }
  }

  /**
   * The files the commit with this tag added, from the JSON commits in {@code _delta_log} (newest
   * first); empty when no commit carries the tag.
   */
  @Override
  public Optional<List<String>> committed(DataDeclare data, Configuration conf, String commitTag) {
    try {
      Path log = new Path(data.location(), "_delta_log");
      FileSystem fs = log.getFileSystem(conf);
      if (!fs.exists(log)) {
        return Optional.empty();
      }
      FileStatus[] commits = fs.listStatus(log, p -> p.getName().matches("[0-9]{20}\\.json"));
      Arrays.sort(commits, Comparator.comparing((FileStatus s) -> s.getPath().getName()).reversed());
      for (FileStatus commit : commits) {
        List<String> added = new ArrayList<>();
        boolean tagged = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(commit.getPath()), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode action = JSON.readTree(line);
            if (action.has("commitInfo") && commitTag.equals(action.get("commitInfo").path("userMetadata").asText(null))) {
              tagged = true;
            } else if (action.has("add")) {
              added.add(java.net.URLDecoder.decode(action.get("add").path("path").asText(), StandardCharsets.UTF_8));
            }
          }
        }
        if (tagged) {
          return Optional.of(added);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new DdpException("Cannot read the Delta log of dataset '" + data.dataId() + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void check(DataDeclare data, String pointer, Problems problems) {
    String subject = "dataset '" + data.dataId() + "'";
    if (!data.hasLocation()) {
      problems.error(pointer, subject, "a delta dataset needs the table's directory as \"location\"");
    }
    if (data.options().containsKey("versionAsOf") && data.options().containsKey("timestampAsOf")) {
      problems.error(pointer + "/options", subject, "give \"versionAsOf\" or \"timestampAsOf\", not both");
    }
  }

  /** A session without Delta's extension cannot write or merge: say how to set it, instead of Delta's stack trace. */
  static void requireSession(SparkSession spark, DataDeclare data) {
    String extensions = spark.conf().get("spark.sql.extensions", "");
    if (!extensions.contains(EXTENSION) || !CATALOG.equals(spark.conf().get("spark.sql.catalog.spark_catalog", ""))) {
      throw new DdpException("dataset '" + data.dataId() + "' is a Delta table, and this SparkSession was created without"
          + " Delta's extension and catalog; ddp run sets them, or create the session with --conf spark.sql.extensions=" + EXTENSION
          + " --conf spark.sql.catalog.spark_catalog=" + CATALOG);
    }
  }

}
