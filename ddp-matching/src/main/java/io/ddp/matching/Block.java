package io.ddp.matching;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.codec.language.Soundex;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Blocking: candidate pairs of records without comparing all pairs. Each strategy gives every record
 * zero or more blocking keys; records sharing a key form a block, and the records of a block are
 * paired. A pair proposed by several strategies appears once, with the strategies that proposed it.
 *
 * <p>Strategies ({@code type}):
 * <ul>
 *   <li>{@code exact}: the values of {@code columns} together;</li>
 *   <li>{@code soundex} / {@code doubleMetaphone}: the phonetic code of {@code column} (commons-codec),
 *       with the values of {@code columns} if given (e.g. a name's sound and a birth year);</li>
 *   <li>{@code sortedNeighbourhood}: records sorted by {@code columns}; each is paired with the next
 *       {@code window - 1} (sorted in ranges, one per partition; the pairs across two ranges are made
 *       from each range's first and last records, gathered on the driver: this strategy runs a
 *       Spark job when the pipe is applied);</li>
 *   <li>{@code minhash}: MinHash LSH over the character {@code shingle}-grams of {@code column}:
 *       {@code bands} keys of {@code rows} minima each; records whose token sets are similar share a
 *       band with high probability (Jaccard s: 1 - (1 - s^rows)^bands); with {@code columns}, a key
 *       also holds their values (similar names born the same year);</li>
 *   <li>{@code hyperplane}: random-hyperplane LSH over the vector {@code column} (e.g. MiniLM embeddings
 *       from the OnnxModel pipe): {@code bands} keys of {@code rows} sign bits; close vectors by cosine
 *       share a key with high probability (with {@code columns} too, as for minhash).</li>
 * </ul>
 *
 * <p>Giant blocks: a key shared by many records (a common surname, a default date) would make a
 * quadratic number of pairs. A block with more than {@code maxBlockSize} records is not fully paired:
 * its records, in id order, are paired with their next {@code window - 1} only (a sliding window
 * inside the block), and the metric {@code blocksCapped} counts such blocks. So the
 * pairs of a strategy are at most about records x max(maxBlockSize, window).
 *
 * <p>Output: {@code left_id}, {@code right_id} (left_id &lt; right_id) and {@code blocked_by} (the
 * strategies' names). With {@code source} given and {@code acrossSourcesOnly}, only records of
 * different sources are paired (record linkage rather than deduplication).
 */
public final class Block implements SparkPipe<Block.Params> {
  /** One way of making blocking keys. */
  public record Strategy(
      @Param(value = "exact, soundex, doubleMetaphone, sortedNeighbourhood, minhash or hyperplane", required = true) String type,
      @Param("The column a phonetic, minhash or hyperplane key is made of") String column,
      @Param("Columns whose values are part of the key (exact, phonetic, minhash, hyperplane) or the sort order (sortedNeighbourhood)")
      List<String> columns,
      @Param(value = "sortedNeighbourhood (and capped blocks): how many records in a row are paired", defaultValue = "5")
      Integer window,
      @Param(value = "minhash: characters per shingle", defaultValue = "3") Integer shingle,
      @Param(value = "minhash and hyperplane: number of keys per record", defaultValue = "8") Integer bands,
      @Param(value = "minhash: minima per key; hyperplane: sign bits per key", defaultValue = "3") Integer rows,
      @Param("A name for the metrics and blocked_by (default: the type, with the column)") String name) {
    public Strategy {
      window = window == null ? 5 : window;
      shingle = shingle == null ? 3 : shingle;
      bands = bands == null ? 8 : bands;
      rows = rows == null ? 3 : rows;
      columns = columns == null ? List.of() : List.copyOf(columns);
    }

    String label() {
      if (name != null) {
        return name;
      }
      return type + "(" + (column != null ? column : "") + (column != null && !columns.isEmpty() ? "," : "") + String.join(",", columns) + ")";
    }
  }

  public record Params(
      @Param(value = "The record id column", defaultValue = "\"id\"") String id,
      @Param("The column naming each record's source (with acrossSourcesOnly)") String source,
      @Param(value = "Pair only records of different sources", defaultValue = "false") Boolean acrossSourcesOnly,
      @Param(value = "Blocking strategies; a pair is a candidate when any of them proposes it", required = true)
      List<Strategy> strategies,
      @Param(value = "Blocks with more records are only paired within a sliding window", defaultValue = "100")
      Integer maxBlockSize,
      @Param(value = "Seed of the minhash and hyperplane functions", defaultValue = "42") Long seed) {
    public Params {
      id = id == null ? "id" : id;
      acrossSourcesOnly = acrossSourcesOnly != null && acrossSourcesOnly;
      maxBlockSize = maxBlockSize == null ? 100 : maxBlockSize;
      seed = seed == null ? 42L : seed;
      if (strategies == null || strategies.isEmpty()) {
        throw new IllegalArgumentException("give at least one blocking strategy in \"strategies\"");
      }
      strategies = List.copyOf(strategies);
      if (maxBlockSize < 2) {
        throw new IllegalArgumentException("maxBlockSize must be at least 2");
      }
      if (acrossSourcesOnly && source == null) {
        throw new IllegalArgumentException("acrossSourcesOnly needs \"source\": the column naming each record's source");
      }
      for (Strategy s : strategies) {
        check(s);
      }
    }

    private static void check(Strategy s) {
      switch (s.type() == null ? "" : s.type()) {
        case "exact" -> require(!s.columns().isEmpty(), s, "\"columns\"");
        case "soundex", "doubleMetaphone", "minhash", "hyperplane" -> require(s.column() != null, s, "\"column\"");
        case "sortedNeighbourhood" -> require(!s.columns().isEmpty(), s, "\"columns\" (the sort order)");
        default -> throw new IllegalArgumentException("unknown blocking strategy type '" + s.type()
            + "'; use exact, soundex, doubleMetaphone, sortedNeighbourhood, minhash or hyperplane");
      }
      if (s.window() < 2 || s.shingle() < 1 || s.bands() < 1 || s.rows() < 1 || s.rows() > 62) {
        throw new IllegalArgumentException("strategy " + s.label() + ": window >= 2, shingle >= 1, bands >= 1, 1 <= rows <= 62");
      }
    }

    private static void require(boolean ok, Strategy s, String what) {
      if (!ok) {
        throw new IllegalArgumentException("blocking strategy '" + s.type() + "' needs " + what);
      }
    }
  }

  @Override
  public Optional<StructType> outputSchema(Map<String, StructType> inputs, Params p, SparkSession spark) {
    StructType in = inputs.values().iterator().next();
    List<String> names = List.of(in.fieldNames());
    List<String> missing = new ArrayList<>();
    List<String> needed = new ArrayList<>(List.of(p.id()));
    if (p.source() != null) {
      needed.add(p.source());
    }
    for (Strategy s : p.strategies()) {
      if (s.column() != null) {
        needed.add(s.column());
      }
      needed.addAll(s.columns());
    }
    needed.stream().distinct().filter(c -> !names.contains(c)).forEach(missing::add);
    if (!missing.isEmpty()) {
      throw new io.ddp.core.pipe.InvalidParamsException(new io.ddp.core.pipe.ParamProblem("strategies", "the records have no column(s) " + missing + " (they have " + names + ")"), null);
    }
    DataType id = in.apply(p.id()).dataType();
    return Optional.of(new StructType().add("left_id", id, false).add("right_id", id, false)
        .add("blocked_by", DataTypes.createArrayType(DataTypes.StringType, false), false));
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> records = inputs.only();
    Column source = p.source() == null ? lit(null).cast("string") : col(p.source()).cast("string");
    Dataset<Row> base = records.select(col(p.id()).as("id"), source.as("src"), struct(col("*")).as("r"));
    PipeMetrics.Counter capped = ctx.metrics().counter("blocksCapped");
    Dataset<Row> pairs = null;
    int i = 0;
    for (Strategy s : p.strategies()) {
      Dataset<Row> made = s.type().equals("sortedNeighbourhood")
          ? sortedNeighbourhood(base, s, p.acrossSourcesOnly())
          : blocks(keys(base, s, p.seed() + 1000L * i), p.maxBlockSize(), s.window(), p.acrossSourcesOnly(), capped);
      made = made.withColumn("strategy", lit(s.label()));
      pairs = pairs == null ? made : pairs.unionByName(made);
      i++;
    }
    return pairs.groupBy("left_id", "right_id").agg(array_sort(collect_set("strategy")).as("blocked_by"));
  }

  /** id, src and one row per blocking key ({@code key} STRING) of each record. */
  static Dataset<Row> keys(Dataset<Row> base, Strategy s, long seed) {
    Column parts = s.columns().isEmpty() ? lit("") : concat_ws("\u0001", s.columns().stream().map(c -> col("r." + c).cast("string")).toArray(Column[]::new));
    Column allPresent = lit(true);
    for (String c : s.columns()) {
      allPresent = allPresent.and(col("r." + c).isNotNull());
    }
    switch (s.type()) {
      case "exact":
        return base.where(allPresent).select(col("id"), col("src"), parts.as("key"));
      case "soundex":
      case "doubleMetaphone": {
        boolean soundex = s.type().equals("soundex");
        Column code = udf((UDF1<String, String>) v -> phonetic(v, soundex), DataTypes.StringType).apply(col("r." + s.column()).cast("string"));
        return base.where(allPresent).select(col("id"), col("src"), code.as("code"), parts.as("parts"))
            .where(col("code").isNotNull()).select(col("id"), col("src"), concat_ws("\u0001", col("code"), col("parts")).as("key"));
      }
      case "minhash": {
        int shingle = s.shingle();
        int bands = s.bands();
        int rows = s.rows();
        Column keys = udf((UDF1<String, String[]>) v -> Lsh.minhashKeys(v, shingle, bands, rows, seed),
            DataTypes.createArrayType(DataTypes.StringType)).apply(col("r." + s.column()).cast("string"));
        return withParts(base.where(allPresent).select(col("id"), col("src"), parts.as("parts"), explode(keys).as("key")), s);
      }
      case "hyperplane": {
        int bands = s.bands();
        int rows = s.rows();
        Column keys = udf((UDF1<Object, String[]>) v -> Lsh.hyperplaneKeys(v, bands, rows, seed),
            DataTypes.createArrayType(DataTypes.StringType)).apply(col("r." + s.column()));
        return withParts(base.where(allPresent).select(col("id"), col("src"), parts.as("parts"), explode(keys).as("key")), s);
      }
      default:
        throw new IllegalArgumentException("unknown strategy " + s.type());
    }
  }

  /** An LSH key with the values of the strategy's {@code columns}: records must share both. */
  private static Dataset<Row> withParts(Dataset<Row> keyed, Strategy s) {
    Column key = s.columns().isEmpty() ? col("key") : concat_ws("\u0001", col("key"), col("parts"));
    return keyed.select(col("id"), col("src"), key.as("key"));
  }

  static String phonetic(String v, boolean soundex) {
    if (v == null) {
      return null;
    }
    String letters = v.replaceAll("[^\\p{L} ]", "").trim();
    if (letters.isEmpty()) {
      return null;
    }
    try {
      String code = soundex ? new Soundex().encode(letters) : new DoubleMetaphone().doubleMetaphone(letters);
      return code == null || code.isEmpty() ? null : code;
    } catch (IllegalArgumentException e) { // a character Soundex cannot map
      return null;
    }
  }

  /** The pairs of each block of {@code keyed} (id, src, key); blocks over maxBlockSize only within a window. */
  static Dataset<Row> blocks(Dataset<Row> keyed, int maxBlockSize, int window, boolean acrossSources, PipeMetrics.Counter capped) {
    DataType idType = keyed.schema().apply("id").dataType();
    Dataset<Row> grouped = keyed.groupBy("key").agg(array_sort(collect_list(struct(col("id"), col("src")))).as("members"));
    ArrayType pairType = DataTypes.createArrayType(new StructType().add("l", idType).add("r", idType));
    Column pairs = udf((UDF1<scala.collection.Seq<Row>, List<Row>>) members -> {
      int n = members.size();
      List<Row> out = new ArrayList<>();
      boolean cap = n > maxBlockSize;
      if (cap) {
        capped.add(1);
      }
      for (int a = 0; a < n; a++) {
        Row x = members.apply(a);
        int last = cap ? Math.min(n, a + window) : n;
        for (int b = a + 1; b < last; b++) {
          Row y = members.apply(b);
          if (acrossSources && java.util.Objects.equals(x.get(1), y.get(1))) {
            continue;
          }
          out.add(RowFactory.create(x.get(0), y.get(0)));
        }
      }
      return out;
    }, pairType).apply(col("members"));
    return grouped.where(org.apache.spark.sql.functions.size(col("members")).gt(1)).select(explode(pairs).as("p"))
        .select(col("p.l").as("left_id"), col("p.r").as("right_id")).where(col("left_id").notEqual(col("right_id")));
  }

  /** Each record paired with the next window - 1 in the order of the strategy's columns, within sorted ranges. */
  static Dataset<Row> sortedNeighbourhood(Dataset<Row> base, Strategy s, boolean acrossSources) {
    Column key = concat_ws("\u0001", s.columns().stream().map(c -> org.apache.spark.sql.functions.coalesce(col("r." + c).cast("string"), lit("")))
        .toArray(Column[]::new));
    Dataset<Row> sorted = base.select(key.as("key"), col("id"), col("src")).repartitionByRange(col("key"), col("id"))
        .sortWithinPartitions(col("key"), col("id")).localCheckpoint(); // one sort, read twice below
    DataType idType = base.schema().apply("id").dataType();
    StructType out = new StructType().add("left_id", idType).add("right_id", idType);
    int window = s.window();
    Dataset<Row> within = sorted.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new Iterator<>() {
      private final java.util.ArrayDeque<Row> recent = new java.util.ArrayDeque<>();
      private final java.util.ArrayDeque<Row> ready = new java.util.ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && rows.hasNext()) {
          Row next = rows.next();
          for (Row before : recent) {
            if (!(acrossSources && java.util.Objects.equals(before.get(2), next.get(2)))) {
              ready.add(order(before.get(1), next.get(1)));
            }
          }
          recent.addLast(next);
          if (recent.size() >= window) {
            recent.removeFirst();
          }
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.removeFirst();
      }
    }, Encoders.row(out));
    Dataset<Row> across = acrossBoundaries(sorted, window, acrossSources, out);
    return within.unionByName(across).where(col("left_id").notEqual(col("right_id")));
  }

  /**
   * The pairs whose two records fall in neighbouring sorted ranges (partitions): each partition's
   * first and last {@code window - 1} records, with their place, are gathered on the driver (a few per
   * partition), and the pairs closer than {@code window} in the global order are made there.
   */
  static Dataset<Row> acrossBoundaries(Dataset<Row> sorted, int window, boolean acrossSources, StructType out) {
    int edge = window - 1;
    List<Object[]> ends = sorted.javaRDD().mapPartitionsWithIndex((index, rows) -> {
      java.util.ArrayDeque<Row> tail = new java.util.ArrayDeque<>();
      long n = 0;
      List<Object[]> kept = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        if (n < edge) {
          kept.add(new Object[] {index, n, r.get(1), r.get(2)});
        } else {
          tail.addLast(r);
          if (tail.size() > edge) {
            tail.removeFirst();
          }
        }
        n++;
      }
      long first = n - tail.size();
      for (Row r : tail) {
        kept.add(new Object[] {index, first++, r.get(1), r.get(2)});
      }
      kept.add(new Object[] {index, -1L, n, null}); // the partition's size
      return kept.iterator();
    }, true).collect();
    java.util.Map<Integer, Long> sizes = new java.util.TreeMap<>();
    for (Object[] e : ends) {
      if ((Long) e[1] < 0) {
        sizes.put((Integer) e[0], (Long) e[2]);
      }
    }
    java.util.Map<Integer, Long> offsets = new java.util.HashMap<>();
    long offset = 0;
    for (var size : sizes.entrySet()) {
      offsets.put(size.getKey(), offset);
      offset += size.getValue();
    }
    List<Object[]> placed = new ArrayList<>(); // global position, partition, id, source
    for (Object[] e : ends) {
      if ((Long) e[1] >= 0) {
        placed.add(new Object[] {offsets.get((Integer) e[0]) + (Long) e[1], e[0], e[2], e[3]});
      }
    }
    placed.sort(java.util.Comparator.comparingLong(e -> (Long) e[0]));
    List<Row> pairs = new ArrayList<>();
    for (int i = 0; i < placed.size(); i++) {
      for (int j = i + 1; j < placed.size() && (Long) placed.get(j)[0] - (Long) placed.get(i)[0] < window; j++) {
        Object[] a = placed.get(i);
        Object[] b = placed.get(j);
        if (!a[1].equals(b[1]) && !(acrossSources && java.util.Objects.equals(a[3], b[3]))) {
          pairs.add(order(a[2], b[2]));
        }
      }
    }
    return sorted.sparkSession().createDataFrame(pairs, out);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Row order(Object a, Object b) {
    return ((Comparable) a).compareTo(b) <= 0 ? RowFactory.create(a, b) : RowFactory.create(b, a);
  }
}
