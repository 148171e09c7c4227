package io.ddp.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.spark.testing.PipeTester;
import io.ddp.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class LinkEntitiesTest {
  private static Dataset<Row> pairs(SparkSession spark, List<long[]> edges) {
    List<Row> rows = new ArrayList<>();
    edges.forEach(e -> rows.add(RowFactory.create(e[0], e[1])));
    return spark.createDataFrame(rows, StructType.fromDDL("left_id BIGINT, right_id BIGINT"));
  }

  private static Map<Long, Long> entities(Dataset<Row> out) {
    Map<Long, Long> m = new HashMap<>();
    for (Row r : out.collectAsList()) {
      assertThat(m.put(r.getLong(0), r.getLong(1))).as("one entity per id").isNull();
    }
    return m;
  }

  /** Components by union-find: each node to the smallest node of its component. */
  private static Map<Long, Long> unionFind(List<long[]> edges) {
    Map<Long, Long> parent = new HashMap<>();
    java.util.function.Function<Long, Long>[] find = new java.util.function.Function[1];
    find[0] = x -> {
      long p = parent.getOrDefault(x, x);
      if (p == x) {
        return x;
      }
      long root = find[0].apply(p);
      parent.put(x, root);
      return root;
    };
    for (long[] e : edges) {
      parent.putIfAbsent(e[0], e[0]);
      parent.putIfAbsent(e[1], e[1]);
      long a = find[0].apply(e[0]);
      long b = find[0].apply(e[1]);
      if (a != b) {
        parent.put(Math.max(a, b), Math.min(a, b));
      }
    }
    Map<Long, Long> out = new HashMap<>();
    parent.keySet().forEach(x -> out.put(x, find[0].apply(x)));
    return out;
  }

  @Test
  void chainsStarsCyclesAndSeparateGroups(SparkSession spark) {
    List<long[]> edges = new ArrayList<>();
    for (long i = 1; i < 100; i++) {
      edges.add(new long[] {i + 1, i}); // a chain of 100: minimum-label propagation would need 99 rounds
    }
    edges.add(new long[] {1000, 1001});
    edges.add(new long[] {1001, 1002});
    edges.add(new long[] {1002, 1000}); // a cycle
    edges.add(new long[] {2000, 2000}); // a self pair
    for (long i = 3001; i < 3010; i++) {
      edges.add(new long[] {3000, i}); // a star
      edges.add(new long[] {i, 3000}); // and each pair twice
    }
    LinkEntities.Result result = LinkEntities.components(pairs(spark, edges).toDF("u", "v"), 50);
    Map<Long, Long> got = entities(result.components());
    Map<Long, Long> expected = unionFind(edges);
    expected.remove(2000L); // a record paired only with itself is in no pair: its own entity, not listed
    assertThat(got).isEqualTo(expected);
    assertThat(got.get(100L)).isEqualTo(1L);
    assertThat(result.rounds()).as("rounds").isLessThan(15);
    assertThat(got.get(1002L)).isEqualTo(1000L);
  }

  @Test
  void randomGraphsAgreeWithUnionFind(SparkSession spark) {
    Random random = new Random(7);
    for (int round = 0; round < 2; round++) {
      List<long[]> edges = new ArrayList<>();
      int nodes = 300 + random.nextInt(300);
      for (int i = 0; i < nodes * 0.8; i++) {
        edges.add(new long[] {random.nextInt(nodes), random.nextInt(nodes)});
      }
      edges.removeIf(e -> e[0] == e[1]);
      LinkEntities.Result r = LinkEntities.components(pairs(spark, edges).toDF("u", "v"), 50);
      Map<Long, Long> got = entities(r.components());
      assertThat(got).isEqualTo(unionFind(edges));
      assertThat(r.rounds()).as("rounds for %d nodes", nodes).isLessThan(20);
    }
  }

  @Test
  void aComponentTooLargeFailsOrIsSplit(SparkSession spark) {
    List<long[]> edges = new ArrayList<>();
    for (long i = 1; i < 30; i++) {
      edges.add(new long[] {i, i + 1});
    }
    edges.add(new long[] {100, 101});
    assertThatThrownBy(() -> PipeTester.of(spark).run(new LinkEntities(), new LinkEntities.Params(null, null, null, 10L, null),
        pairs(spark, edges)).collectAsList())
        .hasMessageContaining("1 component(s) have more than maxComponentSize=10 records (the largest 30)");
    Dataset<Row> out = PipeTester.of(spark).run(new LinkEntities(), new LinkEntities.Params(null, null, null, 10L, "split"),
        pairs(spark, edges));
    Map<Long, Long> split = entities(out);
    Map<Long, Long> sizes = new HashMap<>();
    out.collectAsList().forEach(r -> sizes.put(r.getLong(0), r.getLong(2)));
    assertThat(sizes.get(30L)).as("a record of a split component is alone").isEqualTo(1L);
    assertThat(sizes.get(100L)).isEqualTo(2L);
    assertThat(sizes.get(101L)).isEqualTo(2L);
    assertThat(split.get(30L)).isEqualTo(30L);
    assertThat(split.get(101L)).isEqualTo(100L);
    assertThat(split).hasSize(32);
  }
}
