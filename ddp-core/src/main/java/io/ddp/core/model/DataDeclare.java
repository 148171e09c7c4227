package io.ddp.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One declared dataset: where it lives, in which format, with which schema.
 *
 * <p>A dataset with a {@code location} and no producer is a <em>source</em>; one produced by a pipe and
 * with a location is a <em>sink</em> (written); one produced and without location is an in-memory
 * <em>intermediate</em>. Semantic rules (id syntax, uniqueness, producers) are checked by
 * {@link io.ddp.core.validate.Validator}, so that every problem of a pipeline is reported at once.
 *
 * <pre>{@code
 * DataDeclare reviews = DataDeclare.builder("Reviews")
 *     .location("data/reviews.csv").format("csv").schema("id BIGINT, text STRING")
 *     .option("header", "true").build();
 * }</pre>
 *
 * @param dataId the id pipes and metrics refer to: letters, digits and {@code _}, starting with a letter
 * @param location path or URI; null for an in-memory dataset
 * @param format format name ({@code parquet}, {@code csv}, ...); when null, the one the location's
 *     file name implies ({@link #inferFormat}), else null (in memory, or a name that does not tell)
 * @param schema Spark DDL, e.g. {@code "id BIGINT, text STRING"}; null when not declared
 * @param options format and store options, passed to the reader and writer
 * @param mode what a write does when the location holds data; {@link WriteMode#ERROR_IF_EXISTS} by default
 * @param partitionBy columns to partition the written data by
 * @param encryption how the data is encrypted at rest; null for none
 * @param persist {@code auto} (default: kept in memory and disk when two or more consumers read it),
 *     {@code none}, or a Spark storage level such as {@code MEMORY_ONLY} or {@code DISK_ONLY}
 * @param schemaPolicy what a mismatch with the declared schema does: {@code fail} (default) or
 *     {@code cast} (cast to the declared types, drop undeclared columns, and log what was changed)
 * @param badRecords for csv and json sources, what happens to rows that do not parse:
 *     {@code quarantine} (default: kept aside with the reason, counted) or {@code fail}
 * @param quarantine the dataId of a declared dataset that receives this dataset's bad records and the
 *     rows its {@code quarantine} expectations set aside; null for the default location beside it
 *     ({@code LOCATION_quarantine}, JSON lines)
 * @param expectations conditions the data must meet, checked in the pass that computes it
 * @param merge for {@code "mode": "merge"}: the key columns and conditions of the upsert; null otherwise
 */
public record DataDeclare(
    String dataId,
    String location,
    String format,
    String schema,
    Map<String, String> options,
    WriteMode mode,
    List<String> partitionBy,
    EncryptionDeclare encryption,
    String persist,
    String schemaPolicy,
    String badRecords,
    String quarantine,
    // Left out of the JSON form when empty, so that fingerprints of runs recorded before expectations
    // existed (RunState) still match.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    List<ExpectationDeclare> expectations,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    MergeDeclare merge) {

  /** The default {@link #schemaPolicy()}: a mismatch fails the run. */
  public static final String SCHEMA_FAIL = "fail";
  /** {@link #schemaPolicy()}: cast to the declared types and drop undeclared columns. */
  public static final String SCHEMA_CAST = "cast";
  /**
   * {@link #schemaPolicy()} for table sinks (Delta Lake, Iceberg): the rows must match the declared
   * schema, as with {@code fail}, and the table's schema evolves to it (new columns are added;
   * {@code overwrite} replaces the schema).
   */
  public static final String SCHEMA_EVOLVE = "evolve";
  /** The default {@link #badRecords()}: malformed rows go to the quarantine dataset. */
  public static final String BAD_RECORDS_QUARANTINE = "quarantine";
  /** {@link #badRecords()}: a malformed row fails the run. */
  public static final String BAD_RECORDS_FAIL = "fail";

  /** The default {@link #persist()}: persist when read by two or more consumers. */
  public static final String PERSIST_AUTO = "auto";
  /** Never persist, even when shared. */
  public static final String PERSIST_NONE = "none";

  /** File extensions that tell the format when {@code format} is not declared. */
  private static final Map<String, String> FORMAT_BY_EXTENSION = Map.ofEntries(
      Map.entry("csv", "csv"), Map.entry("json", "json"), Map.entry("jsonl", "json"), Map.entry("ndjson", "json"),
      Map.entry("parquet", "parquet"), Map.entry("orc", "orc"), Map.entry("avro", "avro"),
      Map.entry("txt", "text"), Map.entry("text", "text"));

  public DataDeclare {
    Objects.requireNonNull(dataId, "Cannot declare data: dataId is null");
    // The same declaration from JSON or from Java: a format the location's name tells need not be declared.
    format = format == null && location != null ? inferFormat(location) : format;
    options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    mode = mode == null ? WriteMode.ERROR_IF_EXISTS : mode;
    partitionBy = partitionBy == null ? List.of() : List.copyOf(partitionBy);
    persist = persist == null ? PERSIST_AUTO : persist;
    schemaPolicy = schemaPolicy == null ? SCHEMA_FAIL : schemaPolicy;
    badRecords = badRecords == null ? BAD_RECORDS_QUARANTINE : badRecords;
    expectations = expectations == null ? List.of() : List.copyOf(expectations);
  }

  /** A declaration without expectations (the form before they existed). */
  public DataDeclare(String dataId, String location, String format, String schema, Map<String, String> options, WriteMode mode,
      List<String> partitionBy, EncryptionDeclare encryption, String persist, String schemaPolicy, String badRecords,
      String quarantine) {
    this(dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy, badRecords, quarantine,
        List.of(), null);
  }

  /** A declaration without a merge (the form before merges existed). */
  public DataDeclare(String dataId, String location, String format, String schema, Map<String, String> options, WriteMode mode,
      List<String> partitionBy, EncryptionDeclare encryption, String persist, String schemaPolicy, String badRecords,
      String quarantine, List<ExpectationDeclare> expectations) {
    this(dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy, badRecords, quarantine,
        expectations, null);
  }

  /**
   * The format a location's file extension implies, past compression suffixes ({@code x.csv.gz} is
   * csv); null when the name does not tell (the validator then asks for {@code format}).
   */
  public static String inferFormat(String location) {
    String path = location;
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (String compression : List.of(".gz", ".bz2", ".snappy", ".zst", ".lz4", ".deflate")) {
        if (last.endsWith(compression)) {
          last = last.substring(0, last.length() - compression.length());
          stripped = true;
        }
      }
    }
    int dot = last.lastIndexOf('.');
    return dot < 0 ? null : FORMAT_BY_EXTENSION.get(last.substring(dot + 1));
  }

  public static Builder builder(String dataId) {
    return new Builder(dataId);
  }

  /** A builder preloaded with this declaration, for making changed copies. */
  public Builder toBuilder() {
    Builder b = new Builder(dataId).location(location).format(format).schema(schema)
        .mode(mode).partitionBy(partitionBy).encryption(encryption).persist(persist).schemaPolicy(schemaPolicy)
        .badRecords(badRecords).quarantine(quarantine).expectations(expectations).merge(merge);
    options.forEach(b::option);
    return b;
  }

  public boolean hasLocation() {
    return location != null;
  }

  /** Builds {@link DataDeclare}s; every setter takes null as "not declared". */
  public static final class Builder {
    private final String dataId;
    private String location;
    private String format;
    private String schema;
    private final Map<String, String> options = new LinkedHashMap<>();
    private WriteMode mode;
    private List<String> partitionBy = List.of();
    private EncryptionDeclare encryption;
    private String persist;
    private String schemaPolicy;
    private String badRecords;
    private String quarantine;
    private List<ExpectationDeclare> expectations = new java.util.ArrayList<>();
    private MergeDeclare merge;

    private Builder(String dataId) {
      this.dataId = Objects.requireNonNull(dataId, "DataDeclare.builder(dataId) called with null dataId");
    }

    public Builder location(String value) {
      this.location = value;
      return this;
    }

    public Builder format(String value) {
      this.format = value;
      return this;
    }

    public Builder schema(String value) {
      this.schema = value;
      return this;
    }

    public Builder option(String key, String value) {
      Objects.requireNonNull(key, "DataDeclare.Builder.option(key, value) called with null key");
      Objects.requireNonNull(value, () -> "DataDeclare.Builder.option(" + key + ", value) called with null value");
      options.put(key, value);
      return this;
    }

    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }

    public Builder mode(WriteMode value) {
      this.mode = value;
      return this;
    }

    public Builder partitionBy(List<String> columns) {
      this.partitionBy = columns == null ? List.of() : columns;
      return this;
    }

    public Builder encryption(EncryptionDeclare value) {
      this.encryption = value;
      return this;
    }

    /** {@code auto}, {@code none} or a Spark storage level name. */
    public Builder persist(String value) {
      this.persist = value;
      return this;
    }

    /** {@code fail} or {@code cast}. */
    public Builder schemaPolicy(String value) {
      this.schemaPolicy = value;
      return this;
    }

    /** {@code quarantine} or {@code fail}. */
    public Builder badRecords(String value) {
      this.badRecords = value;
      return this;
    }

    /** The dataId receiving bad records. */
    public Builder quarantine(String value) {
      this.quarantine = value;
      return this;
    }

    /** Replaces the expectations. */
    public Builder expectations(List<ExpectationDeclare> values) {
      this.expectations = new java.util.ArrayList<>(values == null ? List.of() : values);
      return this;
    }

    /** The merge of a {@code "mode": "merge"} sink. */
    public Builder merge(MergeDeclare value) {
      this.merge = value;
      return this;
    }

    /** Adds one expectation. */
    public Builder expect(ExpectationDeclare value) {
      this.expectations.add(Objects.requireNonNull(value, "DataDeclare.Builder.expect(value) called with null"));
      return this;
    }

    public DataDeclare build() {
      return new DataDeclare(dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy,
          badRecords, quarantine, expectations, merge);
    }
  }
}
