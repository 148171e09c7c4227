package io.ddp.viz.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ddp.viz.layout.LayeredLayout.Edge;
import io.ddp.viz.layout.LayeredLayout.Node;
import io.ddp.viz.layout.LayeredLayout.Placed;
import io.ddp.viz.layout.LayeredLayout.Result;
import io.ddp.viz.layout.LayeredLayout.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LayeredLayoutTest {
  private static List<Node> nodes(String... ids) {
    List<Node> out = new ArrayList<>();
    for (String id : ids) {
      out.add(new Node(id, 100, 30));
    }
    return out;
  }

  private static Map<String, Placed> byId(Result r) {
    return r.nodes().stream().collect(Collectors.toMap(Placed::id, Function.identity()));
  }

  /** No two nodes of a layer overlap, and ranks follow the vertical order. */
  private static void assertNoOverlaps(Result r, double gap) {
    Map<Integer, List<Placed>> layers = r.nodes().stream().collect(Collectors.groupingBy(Placed::layer));
    layers.values().forEach(row -> {
      List<Placed> sorted = new ArrayList<>(row);
      sorted.sort(Comparator.comparingDouble(Placed::y));
      for (int i = 0; i + 1 < sorted.size(); i++) {
        assertThat(sorted.get(i + 1).y()).isGreaterThanOrEqualTo(sorted.get(i).y() + sorted.get(i).height() + gap - 1e-9);
        assertThat(sorted.get(i + 1).rank()).isGreaterThan(sorted.get(i).rank());
      }
    });
  }

  @Test
  void aChainIsOneStraightRowLeftToRight() {
    Result r = LayeredLayout.layout(nodes("Docs", "#1 clean", "Clean", "#2 detect", "Out"),
        List.of(new Edge("Docs", "#1 clean"), new Edge("#1 clean", "Clean"), new Edge("Clean", "#2 detect"), new Edge("#2 detect", "Out")));
    Map<String, Placed> p = byId(r);
    assertThat(List.of("Docs", "#1 clean", "Clean", "#2 detect", "Out")).extracting(id -> p.get(id).layer()).containsExactly(0, 1, 2, 3, 4);
    assertThat(p.values()).extracting(Placed::y).containsOnly(0.0);
    assertThat(p.get("Out").x()).isEqualTo(4 * (100 + 60));
    assertThat(r.crossings()).isZero();
    assertThat(r.width()).isEqualTo(5 * 100 + 4 * 60);
    Route first = r.edges().get(0);
    assertThat(first.points()).hasSize(2);
    assertThat(first.points().get(0)).containsExactly(100.0, 15.0); // right middle of Docs
    assertThat(first.points().get(1)).containsExactly(160.0, 15.0); // left middle of the pipe
  }

  @Test
  void crossingsThatCanBeAvoidedAre() {
    // a -> d and b -> c, given in the order that crosses.
    Result r = LayeredLayout.layout(nodes("a", "b", "c", "d"), List.of(new Edge("a", "d"), new Edge("b", "c")));
    Map<String, Placed> p = byId(r);
    assertThat(r.crossings()).isZero();
    assertThat(p.get("a").y() < p.get("b").y()).isEqualTo(p.get("d").y() < p.get("c").y());
    assertNoOverlaps(r, 18);
  }

  @Test
  void longEdgesBendInEveryLayerTheyCross() {
    Result r = LayeredLayout.layout(nodes("S", "p1", "A", "p2", "B"),
        List.of(new Edge("S", "p1"), new Edge("p1", "A"), new Edge("A", "p2"), new Edge("S", "p2"), new Edge("p2", "B")));
    Route longOne = r.edges().stream().filter(e -> e.from().equals("S") && e.to().equals("p2")).findFirst().orElseThrow();
    assertThat(longOne.points()).hasSize(4); // S, a bend in p1's layer and in A's, p2
    for (int i = 0; i + 1 < longOne.points().size(); i++) {
      assertThat(longOne.points().get(i + 1)[0]).isGreaterThan(longOne.points().get(i)[0]);
    }
  }

  @Test
  void aCycleAsAnEditCanMakeIsDrawnWithTheEdgeThatClosesItMarked() {
    Result r = LayeredLayout.layout(nodes("A", "p1", "B", "p2"),
        List.of(new Edge("A", "p1"), new Edge("p1", "B"), new Edge("B", "p2"), new Edge("p2", "A")));
    assertThat(r.nodes()).hasSize(4);
    assertThat(r.edges()).filteredOn(Route::reversed).singleElement().satisfies(e -> {
      assertThat(e.from()).isEqualTo("p2");
      assertThat(e.to()).isEqualTo("A");
      // Drawn from p2 back to A: the first point is at p2, the last at A.
      assertThat(e.points().get(0)[0]).isGreaterThan(e.points().get(e.points().size() - 1)[0]);
    });
    assertThat(byId(r).get("p2").layer()).isEqualTo(3);
  }

  @Test
  void edgesToUnknownNodesSelfLoopsAndRepeatedNodesAreLeftOut() {
    Result r = LayeredLayout.layout(List.of(new Node("A", 80, 20), new Node("A", 999, 999), new Node("p", 50, 20)),
        List.of(new Edge("A", "p"), new Edge("p", "Missing"), new Edge("Ghost", "p"), new Edge("p", "p")));
    assertThat(r.nodes()).extracting(Placed::id).containsExactly("A", "p");
    assertThat(r.nodes().get(0).width()).isEqualTo(80);
    assertThat(r.edges()).extracting(Route::to).containsExactly("p");
    assertThat(LayeredLayout.layout(List.of(), List.of()).nodes()).isEmpty();
  }

  /** A pipeline of 500 pipes shaped like real ones: mostly chains with fan-in from shared datasets. */
  static List<Object> bigPipeline(int pipes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    List<String> datasets = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      datasets.add("Source" + s);
      nodes.add(new Node("Source" + s, 140, 34));
    }
    for (int i = 1; i <= pipes; i++) {
      String pipe = "#" + i;
      nodes.add(new Node(pipe, 160, 40));
      int inputs = 1 + (random.nextInt(4) == 0 ? 1 : 0);
      for (int k = 0; k < inputs; k++) {
        // Mostly a recent dataset (chains), sometimes any earlier one.
        int from = random.nextInt(3) == 0 ? random.nextInt(datasets.size()) : Math.max(0, datasets.size() - 1 - random.nextInt(5));
        edges.add(new Edge(datasets.get(from), pipe));
      }
      String out = "D" + i;
      nodes.add(new Node(out, 140, 34));
      edges.add(new Edge(pipe, out));
      datasets.add(out);
    }
    return List.of(nodes, edges);
  }

  @Test
  @SuppressWarnings("unchecked")
  void fiveHundredPipesArePlacedWithoutOverlapsAndTheSameEachTime() {
    List<Object> g = bigPipeline(500, 3);
    List<Node> nodes = (List<Node>) g.get(0);
    List<Edge> edges = (List<Edge>) g.get(1);
    Result r = LayeredLayout.layout(nodes, edges);
    assertThat(r.nodes()).hasSize(1010);
    assertThat(r.edges()).hasSize(edges.size());
    assertNoOverlaps(r, 18);
    Map<String, Placed> p = byId(r);
    for (Route e : r.edges()) {
      Placed from = p.get(e.from());
      Placed to = p.get(e.to());
      assertThat(to.layer()).isGreaterThan(from.layer());
      assertThat(e.points().get(0)[0]).isCloseTo(from.x() + from.width(), within(1e-9));
      assertThat(e.points().get(e.points().size() - 1)[0]).isCloseTo(to.x(), within(1e-9));
    }
    Result again = LayeredLayout.layout(nodes, edges);
    assertThat(again.nodes()).isEqualTo(r.nodes());
    assertThat(again.crossings()).isEqualTo(r.crossings());
  }
}
