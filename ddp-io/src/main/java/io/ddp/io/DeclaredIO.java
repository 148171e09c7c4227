package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Secrets;
import io.ddp.core.validate.Problems;
import io.ddp.io.crypto.EncryptionCodec;
import io.ddp.io.crypto.KeyServices;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;

/**
 * Reads and writes declared datasets through the {@link DatasetFormat} named by {@code "format"} and
 * the {@link DatasetStore} of the location's scheme, all found with {@link ServiceLoader} next to the
 * built-in ones (parquet, csv, json, orc, avro, text, jdbc, memory; s3a). A format name that no
 * {@code DatasetFormat} claims but a Spark data source does (a short name, a class name) is read and
 * written through Spark's generic source by its own writer ({@link GenericSourceFormat}), never staged.
 *
 * <p>The write hints ({@link WriteHints}: options {@code repartition} and {@code coalesce}) are
 * consumed here, not passed to the format.
 */
public final class DeclaredIO implements SparkDatasetIO {
  /** Options DDP consumes itself (the write hints). */
  public static final Set<String> RESERVED_OPTIONS = WriteHints.OPTIONS;

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
    return f != null ? f : new GenericSourceFormat(data.format());
  }

  /**
   * The files a write tagged {@code commitTag} added to the dataset, if that write was committed: from
   * DDP's commit marker for file formats ({@link CommitMarkers}), from the table's own commit record
   * for formats that commit by themselves; empty when not committed or not known.
   */
  public Optional<List<String>> committed(DataDeclare data, Configuration conf, String commitTag) throws java.io.IOException {
    DatasetFormat f = format(data);
    if (f.writesFiles()) {
      return CommitMarkers.committed(data, conf, commitTag);
    }
    Configuration configured = new Configuration(conf);
    configure(configured, data);
    return f.committed(data, configured, commitTag);
  }

  /**
   * The Spark settings the registered formats need at session creation ({@link DatasetFormat#sessionConf()}),
   * merged: {@code spark.sql.extensions} joined, the first value of any other key kept.
   */
  public Map<String, String> sessionConf() {
    Map<String, String> out = new LinkedHashMap<>();
    new java.util.LinkedHashSet<>(formats.values()).forEach(f -> f.sessionConf().forEach((k, v) -> {
      if (k.equals("spark.sql.extensions") && out.containsKey(k)) {
        out.put(k, out.get(k) + "," + v);
      } else {
        out.putIfAbsent(k, v);
      }
    }));
    return out;
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
    EncryptionDeclare encryption = data.encryption();
    EncryptionCodec codec = EncryptionCodec.of(encryption);
    KeyServices.Config keys = encryption == null || encryption.keyService() == null ? null : keyService(spark, encryption.keyService());
    options.putAll(codec.readOptions(keys));
    try {
      StructType declared = encryption == null || data.schema() == null ? null : Schemas.parse(data.schema());
      // Record encryption stores its columns as STRING: csv and json are read with that schema.
      StructType storedSchema = codec.storedSchema(data, declared);
      DataDeclare stored = storedSchema == declared ? data : data.toBuilder().schema(storedSchema.toDDL()).build();
      Dataset<Row> rows;
      boolean text = format.parsesText();
      if (text && data.schema() != null && DataDeclare.BAD_RECORDS_QUARANTINE.equals(data.badRecords())
          && !"FAILFAST".equalsIgnoreCase(options.get("mode")) && !"DROPMALFORMED".equalsIgnoreCase(options.get("mode"))) {
        rows = Quarantine.read(spark, stored, format.names().iterator().next(), options, this, context);
      } else {
        if (text && DataDeclare.BAD_RECORDS_FAIL.equals(data.badRecords())) {
          options.put("mode", "FAILFAST");
        }
        rows = format.read(spark, stored, options);
      }
      rows = codec.afterRead(rows, data, declared, keys);
      SchemaContract.Result checked = SchemaContract.onRead(rows, data);
      if (!checked.changes().isEmpty()) {
        context.adjusted(data.dataId(), checked.changes());
      }
      return checked.rows();
    } catch (DdpException e) {
      throw new DdpException("Cannot read dataset '" + data.dataId() + "': " + Secrets.mask(e.getMessage(), data.options()), e);
    } catch (Exception e) { // AnalysisException
      Optional<String> crypto = CryptoErrors.reason(e, data);
      throw new DdpException("Cannot read dataset '" + data.dataId() + "' from " + shown(data) + " as " + data.format() + ": "
          + crypto.orElseGet(() -> Secrets.mask(Messages.firstLine(e.getMessage()), data.options())), e);
    }
  }

  /**
   * Applies every dataset's store settings to the session's Hadoop configuration before any file
   * system is opened: Hadoop caches one s3a file system per bucket, made with the settings of the
   * moment (server-side encryption among them).
   */
  @Override
  public void prepare(SparkSession spark, java.util.Collection<DataDeclare> data) {
    data.stream().filter(DataDeclare::hasLocation).forEach(d -> configure(spark.sparkContext().hadoopConfiguration(), d));
  }

  @Override
  public Optional<StructType> storedSchema(SparkSession spark, DataDeclare data) {
    if (!data.hasLocation() || "true".equalsIgnoreCase(spark.conf().get("spark.sql.parquet.mergeSchema", "false"))) {
      return Optional.empty();
    }
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    configure(conf, data);
    return format(data).storedSchema(data, conf);
  }

  /** The key service a dataset names, with its settings from the session ({@code spark.ddp.keyService.NAME.*}). */
  public static KeyServices.Config keyService(SparkSession spark, String name) {
    return KeyServices.config(name, scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll()), KeyServices.SPARK_PREFIX);
  }

  @Override
  public boolean write(Dataset<Row> rows, DataDeclare data) {
    return write(rows, data, null);
  }

  @Override
  public boolean write(Dataset<Row> rows, DataDeclare data, String commitTag) {
    return write(rows, data, commitTag, () -> { });
  }

  @Override
  public boolean stagesWrites(DataDeclare data) {
    return format(data).writesFiles();
  }

  @Override
  public boolean write(Dataset<Row> rows, DataDeclare data, String commitTag, Runnable beforeCommit) {
    requireLocation(data, "write");
    Configuration conf = rows.sparkSession().sparkContext().hadoopConfiguration();
    configure(conf, data);
    DatasetFormat format = format(data);
    Dataset<Row> hinted = WriteHints.of(data.dataId(), data.options()).apply(rows);
    Map<String, String> options = formatOptions(data);
    EncryptionDeclare encryption = data.encryption();
    KeyServices.Config keys = encryption == null || encryption.keyService() == null ? null
        : keyService(rows.sparkSession(), encryption.keyService());
    String keyProblem = keys == null ? null : KeyServices.problem(keys);
    if (keyProblem != null) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "': " + keyProblem);
    }
    EncryptionCodec codec = EncryptionCodec.of(encryption);
    Dataset<Row> shaped = codec.beforeWrite(hinted, data, keys);
    options.putAll(codec.writeOptions(encryption, keys));
    try {
      if (!format.writesFiles()) {
        format.write(shaped, data, data.location(), options, commitTag);
        beforeCommit.run();
        return true;
      }
      Optional<DatasetStore> store = store(data);
      if (store.isPresent()) {
        store.get().beforeWrite(data, conf);
      }
      return AtomicCommit.write(data, conf, path -> {
        format.write(shaped, data, path, options);
        beforeCommit.run();
      }, commitTag);
    } catch (RuntimeException e) {
      Optional<String> crypto = CryptoErrors.reason(e, data);
      if (crypto.isPresent()) {
        String reason = crypto.get();
        throw new DdpException(reason.contains("dataset '" + data.dataId() + "'") ? reason
            : "Cannot write dataset '" + data.dataId() + "': " + reason, e);
      }
      throw new DdpException(Secrets.mask(e instanceof DdpException ? e.getMessage() : Messages.firstLine(e.getMessage()), data.options()), e);
    }
  }

  /**
   * Static checks of every dataset: format known, format and store options valid, write hints well
   * formed, encryption fit for the dataset ({@link DatasetChecks}).
   */
  public void check(PipelineDeclare pipeline, Problems problems) {
    new DatasetChecks(this).check(pipeline, problems);
  }

  /** The names of the registered formats (not counting Spark data sources). */
  Set<String> registeredFormats() {
    return formats.keySet();
  }

  /** Every registered store, once each. */
  java.util.Collection<DatasetStore> stores() {
    return new java.util.LinkedHashSet<>(stores.values());
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

  private static String shown(DataDeclare data) {
    return Secrets.mask(data.location(), data.options());
  }

  /** Whether a class of this name can be loaded (a format named by its data source's class). */
  boolean loadable(String className) {
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
