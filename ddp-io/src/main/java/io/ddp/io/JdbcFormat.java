package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.validate.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A table or query in a database, through Spark's JDBC source. The JDBC URL is the dataset's
 * {@code location} (or option {@code url}); option {@code dbtable} names a table, or {@code query} a
 * query (read only); {@code user} and {@code password} come from options, best written as
 * {@code ${env:DB_PASSWORD}} so they stay out of the file. Every other option goes to Spark's JDBC
 * source ({@code fetchsize}, {@code batchsize}, {@code partitionColumn}...). Secrets never appear in
 * messages: DDP masks the password and the URL's credentials in every error it reports.
 *
 * <p>Writes are not staged: Spark's JDBC writer applies the mode itself (overwrite truncates or
 * recreates the table, see option {@code truncate}), committing per partition.
 */
public final class JdbcFormat implements DatasetFormat {
  @Override
  public Set<String> names() {
    return Set.of("jdbc");
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) {
    return spark.read().format("jdbc").options(sparkOptions(data, options)).load();
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) {
    if (options.containsKey("query")) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "': a jdbc sink needs option \"dbtable\", not \"query\"");
    }
    if (data.mode() == WriteMode.MERGE) {
      JdbcMerge.write(rows, data, sparkOptions(data, options));
      return;
    }
    rows.write().format("jdbc").mode(SaveModes.of(data.mode())).options(sparkOptions(data, options)).save();
  }

  @Override
  public boolean merges() {
    return true;
  }

  @Override
  public boolean writesFiles() {
    return false;
  }

  @Override
  public void check(DataDeclare data, String pointer, Problems problems) {
    String subject = "dataset '" + data.dataId() + "'";
    boolean url = (data.location() != null && data.location().startsWith("jdbc:")) || data.options().containsKey("url");
    if (!url) {
      problems.error(pointer, subject, "a jdbc dataset needs its JDBC URL as \"location\" (jdbc:postgresql://host/db) or option \"url\"");
    }
    String jdbcUrl = data.options().getOrDefault("url", data.location());
    if (data.mode() == WriteMode.MERGE && url && !JdbcMerge.supported(jdbcUrl)) {
      problems.error(pointer + "/mode", subject, "mode \"merge\" on jdbc writes INSERT ... ON CONFLICT, which DDP supports on"
          + " PostgreSQL (jdbc:postgresql:...); for this database write with append into a staging table and merge there");
    }
    List<String> bounds = List.of("partitionColumn", "lowerBound", "upperBound", "numPartitions");
    long given = bounds.stream().filter(data.options()::containsKey).count();
    if (data.options().containsKey("partitionColumn") && given < 4) {
      problems.error(pointer + "/options", subject, "a partitioned jdbc read needs all of " + bounds + "; missing "
          + bounds.stream().filter(b -> !data.options().containsKey(b)).toList());
    }
    boolean table = data.options().containsKey("dbtable");
    boolean query = data.options().containsKey("query");
    if (table == query) {
      problems.error(pointer + "/options", subject, "a jdbc dataset needs exactly one of the options \"dbtable\" (a table) or \"query\""
          + " (read only)");
    }
  }

  static Map<String, String> sparkOptions(DataDeclare data, Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>(options);
    if (!out.containsKey("url") && data.location() != null) {
      out.put("url", data.location());
    }
    return out;
  }


  @Override
  public boolean locationIsPath(DataDeclare data) {
    return false;
  }
}
