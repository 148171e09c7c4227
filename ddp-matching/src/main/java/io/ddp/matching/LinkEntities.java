package io.ddp.matching;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Matched pairs to entities: the connected components of the graph whose edges are the pairs, found
 * with the large-star / small-star iterations of Kiveris et al., "Connected Components in MapReduce and
 * Beyond" (SoCC 2014): O(log^2 n) rounds of joins and aggregations, each a Spark shuffle, so it scales
 * with the number of pairs and not with a component's diameter (plain minimum-label propagation needs
 * as many rounds as the longest chain of matches).
 *
 * <p>Input: the matched pairs ({@code left}, {@code right} columns of one id type; rows with a null
 * id are ignored). Output: {@code id}, {@code entity_id}, {@code component_size} for every id that
 * appears in a pair, where {@code entity_id} is the smallest id of its component and
 * {@code component_size} its number of records; records in no pair are their own entity (join the
 * records with this output and take {@code coalesce(entity_id, id)}).
 *
 * <p>Transitivity explosions: pairs chain records into components, and a few wrong matches can glue
 * many entities into one. The pipe reports the largest component ({@code largestComponent}), the
 * number of components and of rounds as metrics; a component larger than {@code maxComponentSize} is
 * an error when {@code onOversized} is {@code fail} (the default), or is left as separate records
 * (each its own entity, {@code split}) with a count in {@code oversizedComponents}.
 *
 * <p>Unlike most pipes this one runs Spark jobs while it is applied: each round checks whether the
 * graph changed, and each round's result is checkpointed locally so that the plans stay small.
 */
public final class LinkEntities implements SparkPipe<LinkEntities.Params> {
  public record Params(
      @Param(value = "The column with one id of a matched pair", defaultValue = "\"left_id\"") String left,
      @Param(value = "The column with the other id", defaultValue = "\"right_id\"") String right,
      @Param(value = "Rounds after which to stop (a safety net; components converge in O(log^2 n))", defaultValue = "50")
      Integer maxRounds,
      @Param(value = "Largest component accepted as one entity", defaultValue = "10000") Long maxComponentSize,
      @Param(value = "What to do with a larger component: fail, or split (its records stay separate entities)",
          defaultValue = "\"fail\"") String onOversized) {
    public Params {
      left = left == null ? "left_id" : left;
      right = right == null ? "right_id" : right;
      maxRounds = maxRounds == null ? 50 : maxRounds;
      maxComponentSize = maxComponentSize == null ? 10_000L : maxComponentSize;
      onOversized = onOversized == null ? "fail" : onOversized;
      if (maxRounds < 1 || maxComponentSize < 2) {
        throw new IllegalArgumentException("maxRounds must be >= 1 and maxComponentSize >= 2");
      }
      if (!List.of("fail", "split").contains(onOversized)) {
        throw new IllegalArgumentException("onOversized must be \"fail\" or \"split\", not \"" + onOversized + "\"");
      }
    }
  }

  @Override
  public List<String> requiredColumns(Params p) {
    return List.of("");
  }

  @Override
  public Optional<StructType> outputSchema(Map<String, StructType> inputs, Params p, SparkSession spark) {
    StructType in = inputs.values().iterator().next();
    List<String> names = List.of(in.fieldNames());
    for (String c : List.of(p.left(), p.right())) {
      if (!names.contains(c)) {
        throw new io.ddp.core.pipe.InvalidParamsException(new io.ddp.core.pipe.ParamProblem("left", "the pairs have no column '" + c + "' (they have " + names + ")"), null);
      }
    }
    DataType type = in.apply(p.left()).dataType();
    return Optional.of(new StructType().add("id", type, false).add("entity_id", type, false)
        .add("component_size", DataTypes.LongType, false));
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> edges = inputs.only().select(col(p.left()).as("u"), col(p.right()).as("v"))
        .where(col("u").isNotNull().and(col("v").isNotNull()));
    Result r = components(edges, p.maxRounds());
    PipeMetrics m = ctx.metrics();
    m.gauge("rounds", r.rounds());
    Dataset<Row> sizes = r.components().groupBy("entity_id").agg(count(lit(1)).as("size")).localCheckpoint();
    Row stats = sizes.agg(count(lit(1)), max("size")).first();
    long largest = stats.isNullAt(1) ? 0 : stats.getLong(1);
    m.gauge("components", stats.getLong(0));
    m.gauge("largestComponent", largest);
    Dataset<Row> sized = r.components().join(sizes, "entity_id").select("id", "entity_id", "size")
        .withColumnRenamed("size", "component_size");
    if (largest <= p.maxComponentSize()) {
      m.gauge("oversizedComponents", 0);
      return sized;
    }
    long oversized = sizes.where(col("size").gt(p.maxComponentSize())).count();
    m.gauge("oversizedComponents", oversized);
    if (p.onOversized().equals("fail")) {
      throw new IllegalStateException(oversized + " component(s) have more than maxComponentSize=" + p.maxComponentSize()
          + " records (the largest " + largest + "): matches chain too many records into one entity; raise the pair"
          + " scoring threshold, block on more selective keys, raise maxComponentSize, or set onOversized to \"split\"");
    }
    Column oversize = col("component_size").gt(p.maxComponentSize());
    return sized.where(not(oversize))
        .unionByName(sized.where(oversize).select(col("id"), col("id").as("entity_id"), lit(1L).as("component_size")));
  }

  /** The components and the number of rounds it took. */
  record Result(Dataset<Row> components, int rounds) {}

  /**
   * Connected components of the undirected graph {@code edges(u, v)}: {@code id, entity_id} for every
   * node, entity_id the smallest node of its component.
   */
  static Result components(Dataset<Row> edges, int maxRounds) {
    // Edges (u, v) with v < u, no loops, no repeats: the graph as "parent" links towards smaller ids.
    Dataset<Row> e = edges.select(org.apache.spark.sql.functions.greatest(col("u"), col("v")).as("u"), least(col("u"), col("v")).as("v"))
        .where(col("u").notEqual(col("v"))).distinct().localCheckpoint();
    int rounds = 0;
    Row before = fingerprint(e);
    while (rounds < maxRounds) {
      rounds++;
      Dataset<Row> next = smallStar(largeStar(e)).localCheckpoint();
      Row after = fingerprint(next);
      // Unchanged edges: the same count and xor of hashes (one small job), confirmed exactly.
      boolean same = after.equals(before) && next.exceptAll(e).isEmpty();
      e = next;
      before = after;
      if (same) {
        break;
      }
    }
    if (rounds == maxRounds) {
      throw new IllegalStateException("connected components did not converge in maxRounds=" + maxRounds + " rounds; raise it");
    }
    // Converged: stars, each node linked to its component's smallest node.
    Dataset<Row> linked = e.select(col("u").as("id"), col("v").as("entity_id"));
    Dataset<Row> centres = e.select(col("v").as("id")).distinct().withColumn("entity_id", col("id"));
    return new Result(linked.unionByName(centres).distinct(), rounds);
  }

  /** The number of edges and the xor of their hashes. */
  private static Row fingerprint(Dataset<Row> e) {
    return e.agg(count(lit(1)), org.apache.spark.sql.functions.bit_xor(org.apache.spark.sql.functions.xxhash64(col("u"), col("v")))).first();
  }

  /**
   * Large star: every node u links each larger neighbour to the smallest of u's neighbourhood
   * (u included). In: edges with v < u, read both ways.
   */
  static Dataset<Row> largeStar(Dataset<Row> e) {
    Dataset<Row> both = e.select(col("u").as("a"), col("v").as("b")).unionByName(e.select(col("v").as("a"), col("u").as("b")));
    Dataset<Row> smallest = both.groupBy("a").agg(min("b").as("m")).select(col("a"), least(col("a"), col("m")).as("m"));
    Column larger = col("b").gt(col("a"));
    return both.where(larger).join(smallest, "a").select(col("b").as("u"), col("m").as("v"))
        .where(col("u").notEqual(col("v"))).distinct();
  }

  /**
   * Small star: every node u links itself and each smaller neighbour to the smallest of them. In:
   * edges with v < u.
   */
  static Dataset<Row> smallStar(Dataset<Row> e) {
    Dataset<Row> smallest = e.groupBy("u").agg(min("v").as("m"));
    Dataset<Row> members = e.select(col("u").as("owner"), col("v").as("x"))
        .unionByName(smallest.select(col("u").as("owner"), col("u").as("x")));
    return members.join(smallest, members.col("owner").equalTo(smallest.col("u")))
        .select(col("x").as("u"), col("m").as("v")).where(col("u").notEqual(col("v"))).distinct();
  }
}
