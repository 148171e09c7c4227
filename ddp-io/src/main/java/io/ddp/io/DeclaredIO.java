package io.ddp.io;

import io.ddp.core.text.Messages;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.EncryptionMode;
import io.ddp.io.crypto.DatasetEncryption;
import io.ddp.io.crypto.KeyServices;
import io.ddp.io.crypto.RecordEncryption;
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
    EncryptionDeclare encryption = data.encryption();
    KeyServices.Config keys = encryption == null || encryption.keyService() == null ? null : keyService(spark, encryption.keyService());
    // Record encryption stores its columns as STRING: csv and json are read with that schema.
    DataDeclare stored = data;
    if (encryption != null && encryption.mode() == EncryptionMode.DATASET) {
      options.putAll(DatasetEncryption.readOptions(keys));
    } else if (encryption != null && encryption.mode() == EncryptionMode.RECORD && data.schema() != null) {
      stored = data.toBuilder().schema(RecordEncryption.stored(data, Schemas.parse(data.schema())).toDDL()).build();
    }
    try {
      Dataset<Row> rows;
      boolean text = format instanceof FileSourceFormat && ((FileSourceFormat) format).needsReaderSchema();
      if (text && data.schema() != null && DataDeclare.BAD_RECORDS_QUARANTINE.equals(data.badRecords())
          && !"FAILFAST".equalsIgnoreCase(options.get("mode")) && !"DROPMALFORMED".equalsIgnoreCase(options.get("mode"))) {
        rows = Quarantine.read(spark, stored, format.names().iterator().next(), options, this, context);
      } else {
        if (text && DataDeclare.BAD_RECORDS_FAIL.equals(data.badRecords())) {
          options.put("mode", "FAILFAST");
        }
        rows = format.read(spark, stored, options);
      }
      if (encryption != null && encryption.mode() == EncryptionMode.RECORD) {
        rows = RecordEncryption.decrypt(rows, data, data.schema() == null ? null : Schemas.parse(data.schema()), keys);
      }
      SchemaContract.Result checked = SchemaContract.onRead(rows, data);
      if (!checked.changes().isEmpty()) {
        context.adjusted(data.dataId(), checked.changes());
      }
      return checked.rows();
    } catch (DdpException e) {
      throw new DdpException("Cannot read dataset '" + data.dataId() + "': " + JdbcFormat.redact(e.getMessage(), data), e);
    } catch (Exception e) { // AnalysisException
      Optional<String> crypto = CryptoErrors.reason(e, data);
      throw new DdpException("Cannot read dataset '" + data.dataId() + "' from " + shown(data) + " as " + data.format() + ": "
          + crypto.orElseGet(() -> JdbcFormat.redact(Messages.firstLine(e.getMessage()), data)), e);
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
    requireLocation(data, "write");
    Configuration conf = rows.sparkSession().sparkContext().hadoopConfiguration();
    configure(conf, data);
    DatasetFormat format = format(data);
    Dataset<Row> hinted = writeHints(rows, data);
    Map<String, String> options = formatOptions(data);
    EncryptionDeclare encryption = data.encryption();
    KeyServices.Config keys = encryption == null || encryption.keyService() == null ? null
        : keyService(rows.sparkSession(), encryption.keyService());
    String keyProblem = keys == null ? null : KeyServices.problem(keys);
    if (keyProblem != null) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "': " + keyProblem);
    }
    Dataset<Row> shaped = encryption != null && encryption.mode() == EncryptionMode.RECORD ? RecordEncryption.encrypt(hinted, data, keys)
        : hinted;
    if (encryption != null && encryption.mode() == EncryptionMode.DATASET) {
      options.putAll(DatasetEncryption.writeOptions(encryption, keys));
    }
    try {
      if (!format.writesFiles()) {
        format.write(shaped, data, data.location(), options);
        return true;
      }
      Optional<DatasetStore> store = store(data);
      if (store.isPresent()) {
        store.get().beforeWrite(data, conf);
      }
      return AtomicCommit.write(data, conf, path -> format.write(shaped, data, path, options), commitTag);
    } catch (RuntimeException e) {
      Optional<String> crypto = CryptoErrors.reason(e, data);
      if (crypto.isPresent()) {
        String reason = crypto.get();
        throw new DdpException(reason.contains("dataset '" + data.dataId() + "'") ? reason
            : "Cannot write dataset '" + data.dataId() + "': " + reason, e);
      }
      throw new DdpException(JdbcFormat.redact(e instanceof DdpException ? e.getMessage() : Messages.firstLine(e.getMessage()), data), e);
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
      checkEncryption(d, pointer, subject, problems);
    }
    checkSharedBuckets(data, problems);
  }

  /** What each encryption mode needs from the dataset it is declared on. */
  private void checkEncryption(DataDeclare d, String pointer, String subject, Problems problems) {
    EncryptionDeclare e = d.encryption();
    if (e == null) {
      return;
    }
    String at = pointer + "/encryption";
    switch (e.mode()) {
      case SSE:
        if (d.hasLocation() && store(d).filter(DatasetStore::encryptsServerSide).isEmpty()) {
          problems.error(at, subject, "server-side encryption (mode sse) is done by the store, and this location's store does not"
              + " (S3 does: s3a://); for other stores use mode \"dataset\" (Parquet files) or \"record\"");
        }
        break;
      case DATASET:
        if (d.format() == null || !"parquet".equalsIgnoreCase(d.format())) {
          problems.error(at, subject, "mode dataset is Parquet modular encryption; declare \"format\": \"parquet\" or use mode"
              + " \"record\" for format " + d.format());
        }
        Map<String, String> keyOf = new LinkedHashMap<>();
        List<String> declaredColumns = Schemas.declared(d).map(schema -> List.of(schema.fieldNames())).orElse(null);
        for (Map.Entry<String, List<String>> k : e.columnKeys().entrySet()) {
          for (String c : k.getValue()) {
            String other = keyOf.putIfAbsent(c, k.getKey());
            if (other != null) {
              problems.error(at + "/columnKeys", subject, "column '" + c + "' is listed under two keys, '" + other + "' and '" + k.getKey()
                  + "'; each column has one key");
            }
            String top = c.contains(".") ? c.substring(0, c.indexOf('.')) : c;
            if (declaredColumns != null && !declaredColumns.contains(top)) {
              problems.error(at + "/columnKeys", subject, "column '" + c + "' under key '" + k.getKey() + "' is not in the declared schema"
                  + Suggestions.didYouMean(c, declaredColumns) + "; columns: " + declaredColumns);
            }
          }
        }
        if (!d.partitionBy().isEmpty()) {
          problems.warning(at, subject, "partition columns " + d.partitionBy() + " are stored in directory names, which Parquet does"
              + " not encrypt; their values are visible to anyone who can list the location");
        }
        break;
      case RECORD:
        if ("text".equalsIgnoreCase(d.format())) {
          problems.error(at, subject, "mode record needs a key id column next to the encrypted ones; the text format has one column");
        }
        for (String c : d.partitionBy()) {
          if (e.columns().contains(c)) {
            problems.error(at + "/columns", subject, "column '" + c + "' is both encrypted and a partition column; partition values"
                + " become directory names, so remove it from \"partitionBy\" or from the encrypted columns");
          }
        }
        // A missing keyIdColumn is reported by the reader; List.contains(null) would throw.
        if (e.keyIdColumn() != null && e.columns().contains(e.keyIdColumn())) {
          problems.error(at + "/columns", subject, "the key id column '" + e.keyIdColumn() + "' cannot itself be encrypted: readers need it"
              + " to find the key");
        }
        if (d.schema() == null) {
          problems.warning(at, subject, "without a declared \"schema\", encrypted columns are read back as STRING; declare the schema"
              + " to get their types back");
        } else if (Schemas.declared(d).isPresent()) {
          List<String> names = List.of(Schemas.declared(d).get().fieldNames());
          for (String c : e.columns()) {
            if (!names.contains(c)) {
              problems.error(at + "/columns", subject, "encrypted column '" + c + "' is not in the declared schema"
                  + Suggestions.didYouMean(c, names) + "; columns: " + names);
            }
          }
          if (e.keyIdColumn() != null && !names.contains(e.keyIdColumn())) {
            problems.error(at + "/keyIdColumn", subject, "key id column '" + e.keyIdColumn() + "' is not in the declared schema"
                + Suggestions.didYouMean(e.keyIdColumn(), names) + "; columns: " + names);
          }
        }
        break;
      default:
        break;
    }
  }

  /** S3A encrypts per bucket: datasets in one bucket must not ask for different server-side encryption. */
  private void checkSharedBuckets(List<DataDeclare> data, Problems problems) {
    Map<String, DataDeclare> sseByBucket = new LinkedHashMap<>();
    for (DataDeclare d : data) {
      String bucket = bucket(d);
      if (bucket != null && d.encryption() != null && d.encryption().mode() == EncryptionMode.SSE) {
        DataDeclare first = sseByBucket.putIfAbsent(bucket, d);
        if (first != null && !(java.util.Objects.equals(first.encryption().algorithm(), d.encryption().algorithm())
            && java.util.Objects.equals(first.encryption().kmsKeyId(), d.encryption().kmsKeyId()))) {
          problems.error(Subjects.dataPointer(data.indexOf(d)) + "/encryption", Subjects.dataset(d.dataId()), "datasets '"
              + first.dataId() + "' and '" + d.dataId() + "' are both in bucket " + bucket + " but declare different server-side"
              + " encryption; S3A applies it per bucket, so declare the same on both or put them in separate buckets");
        }
      }
    }
    for (DataDeclare d : data) {
      String bucket = bucket(d);
      DataDeclare sse = bucket == null ? null : sseByBucket.get(bucket);
      if (sse != null && (d.encryption() == null || d.encryption().mode() != EncryptionMode.SSE)) {
        problems.warning(Subjects.dataPointer(data.indexOf(d)) + "/location", Subjects.dataset(d.dataId()), "shares bucket " + bucket
            + " with '" + sse.dataId() + "', which declares server-side encryption " + sse.encryption().algorithm()
            + "; S3A applies it per bucket, so what DDP writes here is encrypted the same way");
      }
    }
  }

  private String bucket(DataDeclare d) {
    return !d.hasLocation() ? null : store(d).flatMap(s -> s.settingsScope(d.location())).orElse(null);
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
