package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.sources.DataSourceRegister;

/**
 * Reads and writes declared datasets through the {@link DatasetFormat} named by {@code "format"} and
 * the {@link DatasetStore} of the location's scheme, all found with {@link ServiceLoader} next to the
 * built-in ones (parquet, csv, json, orc, avro, text, jdbc, memory; s3a). A format name that no
 * {@code DatasetFormat} claims but a Spark data source does ({@code delta}, a class name) is read and
 * written through Spark's generic source.
 *
 * <p>Write hints consumed here, not passed to the format: option {@code repartition} (a number of
 * partitions, columns, or both: {@code "8"}, {@code "country"}, {@code "8:country,day"}) and option
 * {@code coalesce} (a number).
 */
public final class DeclaredIO implements SparkDatasetIO {
  /** Options DDP consumes itself. */
  public static final Set<String> RESERVED_OPTIONS = Set.of("repartition", "coalesce");

  private final Map<String, DatasetFormat> formats;
  private final Map<String, DatasetStore> stores;
  private final ClassLoader loader;

  private DeclaredIO(Map<String, DatasetFormat> formats, Map<String, DatasetStore> stores, ClassLoader loader) {
    this.formats = Collections.unmodifiableMap(formats);
    this.stores = Collections.unmodifiableMap(stores);
    this.loader = loader;
  }

  /** The built-in formats and stores plus every one the class loader's providers register. */
  public static DeclaredIO load(ClassLoader loader) {
    Map<String, DatasetFormat> formats = new TreeMap<>();
    List<DatasetFormat> all = new ArrayList<>(FileSourceFormat.builtins());
    all.add(new JdbcFormat());
    all.add(new MemoryFormat());
    ServiceLoader.load(DatasetFormat.class, loader).forEach(all::add);
    for (DatasetFormat f : all) {
      f.names().forEach(n -> formats.put(n.toLowerCase(Locale.ROOT), f));
    }
    Map<String, DatasetStore> stores = new TreeMap<>();
    List<DatasetStore> allStores = new ArrayList<>(List.of(new S3Store()));
    ServiceLoader.load(DatasetStore.class, loader).forEach(allStores::add);
    for (DatasetStore s : allStores) {
      s.schemes().forEach(scheme -> stores.put(scheme.toLowerCase(Locale.ROOT), s));
    }
    return new DeclaredIO(formats, stores, loader);
  }

  /** Every format name DDP knows: registered formats and Spark data sources on the class path. */
  public Set<String> formatNames() {
    Set<String> names = new TreeSet<>(formats.keySet());
    try {
      ServiceLoader.load(DataSourceRegister.class, loader).stream().forEach(p -> {
        try {
          names.add(p.get().shortName().toLowerCase(Locale.ROOT));
        } catch (Throwable ignored) {
          // A data source whose own dependencies are missing cannot be used anyway.
        }
      });
    } catch (Throwable ignored) {
      // The registered names still apply.
    }
    return names;
  }

  /** The format of a dataset: its registered {@link DatasetFormat}, else Spark's generic source. */
  public DatasetFormat format(DataDeclare data) {
    String name = data.format() == null ? "" : data.format().toLowerCase(Locale.ROOT);
    DatasetFormat f = formats.get(name);
    return f != null ? f : new FileSourceFormat(data.format());
  }

  /** The store of a dataset's location, if its scheme has one. */
  public Optional<DatasetStore> store(DataDeclare data) {
    if (data.location() == null) {
      return Optional.empty();
    }
    int sep = data.location().indexOf("://");
    if (sep <= 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(stores.get(data.location().substring(0, sep).toLowerCase(Locale.ROOT)));
  }

  /** Applies the dataset's store options to a Hadoop configuration (also used without Spark, by checks). */
  public void configure(Configuration conf, DataDeclare data) {
    store(data).ifPresent(s -> s.configure(conf, data));
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, ReadContext context) {
    requireLocation(data, "read");
    configure(spark.sparkContext().hadoopConfiguration(), data);
    DatasetFormat format = format(data);
    Map<String, String> options = formatOptions(data);
    try {
      Dataset<Row> rows;
      boolean text = format instanceof FileSourceFormat && ((FileSourceFormat) format).needsReaderSchema();
      if (text && data.schema() != null && DataDeclare.BAD_RECORDS_QUARANTINE.equals(data.badRecords())
          && !"FAILFAST".equalsIgnoreCase(options.get("mode")) && !"DROPMALFORMED".equalsIgnoreCase(options.get("mode"))) {
        rows = Quarantine.read(spark, data, format.names().iterator().next(), options, this, context);
      } else {
        if (text && DataDeclare.BAD_RECORDS_FAIL.equals(data.badRecords())) {
          options.put("mode", "FAILFAST");
        }
        rows = format.read(spark, data, options);
      }
      SchemaContract.Result checked = SchemaContract.onRead(rows, data);
      if (!checked.changes().isEmpty()) {
        context.adjusted(data.dataId(), checked.changes());
      }
      return checked.rows();
    } catch (DdpException e) {
      throw new DdpException("Cannot read dataset '" + data.dataId() + "': " + JdbcFormat.redact(e.getMessage(), data), e);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
      throw new DdpException("Cannot read dataset '" + data.dataId() + "' from " + shown(data) + " as " + data.format() + ": "
          + JdbcFormat.redact(SparkErrors.firstLine(e.getMessage()), data), e);
    }
  }

  @Override
  public boolean write(Dataset<Row> rows, DataDeclare data) {
    requireLocation(data, "write");
    Configuration conf = rows.sparkSession().sparkContext().hadoopConfiguration();
    configure(conf, data);
    DatasetFormat format = format(data);
    Dataset<Row> shaped = writeHints(rows, data);
    Map<String, String> options = formatOptions(data);
    try {
      if (!format.writesFiles()) {
        format.write(shaped, data, data.location(), options);
        return true;
      }
      return AtomicCommit.write(data, conf, path -> format.write(shaped, data, path, options));
    } catch (DdpException e) {
      throw new DdpException(JdbcFormat.redact(e.getMessage(), data), e);
    } catch (RuntimeException e) {
      throw new DdpException(JdbcFormat.redact(SparkErrors.firstLine(e.getMessage()), data), e);
    }
  }

  /** Static checks of every dataset: format known, format and store options valid, write hints well formed. */
  public void check(PipelineDeclare pipeline, Problems problems) {
    Set<String> names = formatNames();
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      String pointer = Subjects.dataPointer(i);
      String subject = Subjects.dataset(d.dataId());
      if (d.format() != null) {
        String f = d.format().toLowerCase(Locale.ROOT);
        if (!names.contains(f) && !(d.format().contains(".") && loadable(d.format()))) {
          problems.error(pointer + "/format", subject, "unknown format '" + d.format() + "'" + Suggestions.didYouMean(f, names)
              + "; use one of " + formats.keySet() + ", another Spark data source on the class path, or its class name");
        } else {
          format(d).check(d, pointer, problems);
        }
      }
      Optional<DatasetStore> store = store(d);
      store.ifPresent(s -> s.check(d, pointer, problems));
      if (store.isEmpty()) {
        for (String key : d.options().keySet()) {
          if (key.startsWith("s3.")) {
            problems.error(pointer + "/options", subject, "option \"" + key + "\" only applies to s3a:// locations");
          }
        }
      }
      checkHints(d, pointer, subject, problems);
    }
  }

  private static void checkHints(DataDeclare d, String pointer, String subject, Problems problems) {
    String coalesce = d.options().get("coalesce");
    if (coalesce != null && !coalesce.matches("[1-9][0-9]*")) {
      problems.error(pointer + "/options", subject, "option \"coalesce\" must be a positive number of partitions, not \"" + coalesce + "\"");
    }
    String repartition = d.options().get("repartition");
    String ident = "[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*";
    if (repartition != null && !repartition.matches("[1-9][0-9]*|" + ident + "|[1-9][0-9]*:" + ident)) {
      problems.error(pointer + "/options", subject, "option \"repartition\" must be a number, columns, or both as \"8:col1,col2\", not \""
          + repartition + "\"");
    }
    if (coalesce != null && repartition != null) {
      problems.error(pointer + "/options", subject, "give \"repartition\" or \"coalesce\", not both");
    }
  }

  private Map<String, String> formatOptions(DataDeclare data) {
    String prefix = store(data).map(DatasetStore::optionPrefix).orElse(null);
    Map<String, String> out = new LinkedHashMap<>();
    data.options().forEach((k, v) -> {
      if (!RESERVED_OPTIONS.contains(k) && (prefix == null || !k.startsWith(prefix))) {
        out.put(k, v);
      }
    });
    return out;
  }

  static Dataset<Row> writeHints(Dataset<Row> rows, DataDeclare data) {
    String coalesce = data.options().get("coalesce");
    if (coalesce != null) {
      return rows.coalesce(Integer.parseInt(coalesce));
    }
    String repartition = data.options().get("repartition");
    if (repartition == null) {
      return rows;
    }
    String count = repartition;
    String columns = "";
    int colon = repartition.indexOf(':');
    if (colon >= 0) {
      count = repartition.substring(0, colon);
      columns = repartition.substring(colon + 1);
    } else if (!repartition.matches("[0-9]+")) {
      count = "";
      columns = repartition;
    }
    Column[] cols = columns.isEmpty() ? new Column[0]
        : java.util.Arrays.stream(columns.split(",")).map(functions::col).toArray(Column[]::new);
    if (count.isEmpty()) {
      return rows.repartition(cols);
    }
    return cols.length == 0 ? rows.repartition(Integer.parseInt(count)) : rows.repartition(Integer.parseInt(count), cols);
  }

  private static String shown(DataDeclare data) {
    return "jdbc".equalsIgnoreCase(data.format()) ? JdbcFormat.redact(data.location(), data) : data.location();
  }

  private boolean loadable(String className) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void requireLocation(DataDeclare data, String what) {
    if (!data.hasLocation()) {
      throw new DdpException("Cannot " + what + " dataset '" + data.dataId() + "': it has no location; declare \"location\"");
    }
  }
}
