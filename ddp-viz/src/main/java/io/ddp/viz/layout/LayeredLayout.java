package io.ddp.viz.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A left-to-right layered drawing of a directed graph (Sugiyama's method), for pipelines of any size
 * and any state, cycles and dangling edges included (a pipeline being edited is often invalid):
 * <ol>
 *   <li>cycles are broken by reversing the back edges of a depth-first search (drawn as they are, marked);
 *   <li>each node goes to the layer after its furthest predecessor (longest path), so datasets and
 *       pipes alternate and a pipe's stage is its column;
 *   <li>edges longer than one layer get a bend point in each layer they cross;
 *   <li>within layers, nodes are ordered by repeated barycenter sweeps, keeping the order with the
 *       fewest crossings;
 *   <li>vertical positions pull each node towards the median of its neighbours without overlaps.
 * </ol>
 * Deterministic: the same graph in the same order gives the same drawing. Near-linear per sweep.
 */
public final class LayeredLayout {
  /** A node to place, with its drawn size. */
  public record Node(String id, double width, double height) {}

  /** An edge between two node ids. */
  public record Edge(String from, String to) {}

  /** A placed node: its layer (column), rank in the layer, and top-left corner. */
  public record Placed(String id, int layer, int rank, double x, double y, double width, double height) {}

  /**
   * A drawn edge: the points from the source's right side to the target's left side; {@code reversed}
   * when the edge closes a cycle (it then runs right to left).
   */
  public record Route(String from, String to, List<double[]> points, boolean reversed) {}

  /** The drawing. */
  public record Result(List<Placed> nodes, List<Route> edges, double width, double height, int crossings) {}

  /** Spacing. */
  public record Spacing(double layerGap, double nodeGap, int sweeps) {
    public static Spacing defaults() {
      return new Spacing(60, 18, 12);
    }
  }

  private LayeredLayout() {}

  public static Result layout(List<Node> nodes, List<Edge> edges) {
    return layout(nodes, edges, Spacing.defaults());
  }

  /** Lays out {@code nodes}; edges naming unknown nodes or a node itself are left out. */
  public static Result layout(List<Node> nodes, List<Edge> edges, Spacing spacing) {
    Map<String, Integer> index = new HashMap<>();
    for (Node n : nodes) {
      index.putIfAbsent(n.id(), index.size());
    }
    List<Node> unique = new ArrayList<>(index.size());
    for (Node n : nodes) {
      if (unique.size() == index.get(n.id())) {
        unique.add(n);
      }
    }
    int n = unique.size();
    List<int[]> kept = new ArrayList<>();
    for (Edge e : edges) {
      Integer a = index.get(e.from());
      Integer b = index.get(e.to());
      if (a != null && b != null && !a.equals(b)) {
        kept.add(new int[] {a, b});
      }
    }
    boolean[] reversed = backEdges(n, kept);
    int[] layer = layers(n, kept, reversed);

    // Chains of virtual nodes for edges longer than one layer.
    List<Integer> vLayer = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vLayer.add(layer[i]);
    }
    List<int[]> chains = new ArrayList<>(); // per edge: the nodes along it, source to target (in drawn direction)
    for (int k = 0; k < kept.size(); k++) {
      int a = reversed[k] ? kept.get(k)[1] : kept.get(k)[0];
      int b = reversed[k] ? kept.get(k)[0] : kept.get(k)[1];
      int span = layer[b] - layer[a];
      int[] chain = new int[Math.max(2, span + 1)];
      chain[0] = a;
      for (int s = 1; s < span; s++) {
        chain[s] = vLayer.size();
        vLayer.add(layer[a] + s);
      }
      chain[chain.length - 1] = b;
      chains.add(chain);
    }
    int total = vLayer.size();
    int layers = 0;
    for (int l : vLayer) {
      layers = Math.max(layers, l + 1);
    }
    List<List<Integer>> up = new ArrayList<>();
    List<List<Integer>> down = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      up.add(new ArrayList<>());
      down.add(new ArrayList<>());
    }
    for (int[] chain : chains) {
      for (int s = 0; s + 1 < chain.length; s++) {
        down.get(chain[s]).add(chain[s + 1]);
        up.get(chain[s + 1]).add(chain[s]);
      }
    }
    // Initial order: nodes in the given order, virtual nodes after their source.
    List<List<Integer>> order = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      order.add(new ArrayList<>());
    }
    for (int i = 0; i < total; i++) {
      order.get(vLayer.get(i)).add(i);
    }
    double[] pos = new double[total];
    setPositions(order, pos);
    int best = crossings(order, down, pos);
    List<List<Integer>> bestOrder = copy(order);
    for (int sweep = 0; sweep < spacing.sweeps() && best > 0; sweep++) {
      boolean downward = sweep % 2 == 0;
      for (int step = 1; step < layers; step++) {
        int l = downward ? step : layers - 1 - step;
        List<List<Integer>> neighbours = downward ? up : down;
        List<Integer> row = order.get(l);
        double[] bary = new double[total];
        for (int v : row) {
          List<Integer> nb = neighbours.get(v);
          if (nb.isEmpty()) {
            bary[v] = pos[v];
          } else {
            double sum = 0;
            for (int u : nb) {
              sum += pos[u];
            }
            bary[v] = sum / nb.size();
          }
        }
        row.sort(Comparator.comparingDouble((Integer v) -> bary[v]).thenComparingDouble(v -> pos[v]));
        for (int r = 0; r < row.size(); r++) {
          pos[row.get(r)] = r;
        }
      }
      int c = crossings(order, down, pos);
      if (c < best) {
        best = c;
        bestOrder = copy(order);
      }
    }
    order = bestOrder;
    setPositions(order, pos);

    // Sizes: real nodes as given, virtual ones thin; columns as wide as their widest node.
    double[] w = new double[total];
    double[] h = new double[total];
    for (int i = 0; i < total; i++) {
      w[i] = i < n ? unique.get(i).width() : 0;
      h[i] = i < n ? unique.get(i).height() : 2;
    }
    double[] columnX = new double[layers];
    double[] columnW = new double[layers];
    for (int i = 0; i < total; i++) {
      columnW[vLayer.get(i)] = Math.max(columnW[vLayer.get(i)], w[i]);
    }
    double x = 0;
    for (int l = 0; l < layers; l++) {
      columnX[l] = x;
      x += columnW[l] + spacing.layerGap();
    }
    double[] y = verticalPositions(order, up, down, h, spacing);

    List<Placed> placed = new ArrayList<>(n);
    double height = 0;
    for (int i = 0; i < n; i++) {
      int l = vLayer.get(i);
      double left = columnX[l] + (columnW[l] - w[i]) / 2;
      placed.add(new Placed(unique.get(i).id(), l, (int) pos[i], left, y[i], w[i], h[i]));
      height = Math.max(height, y[i] + h[i]);
    }
    List<Route> routes = new ArrayList<>(chains.size());
    for (int k = 0; k < chains.size(); k++) {
      int[] chain = chains.get(k);
      List<double[]> points = new ArrayList<>();
      for (int s = 0; s < chain.length; s++) {
        int v = chain[s];
        int l = vLayer.get(v);
        double cy = y[v] + h[v] / 2;
        if (s == 0) {
          points.add(new double[] {columnX[l] + (columnW[l] + w[v]) / 2, cy});
        } else if (s == chain.length - 1) {
          points.add(new double[] {columnX[l] + (columnW[l] - w[v]) / 2, cy});
        } else {
          points.add(new double[] {columnX[l] + columnW[l] / 2, cy});
        }
      }
      int[] e = kept.get(k);
      if (reversed[k]) {
        java.util.Collections.reverse(points);
      }
      routes.add(new Route(unique.get(e[0]).id(), unique.get(e[1]).id(), List.copyOf(points), reversed[k]));
    }
    return new Result(List.copyOf(placed), List.copyOf(routes), Math.max(0, x - spacing.layerGap()), height, best);
  }

  /** Edges that close a cycle in a depth-first search from the nodes in order (iterative: no stack overflow). */
  static boolean[] backEdges(int n, List<int[]> edges) {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int k = 0; k < edges.size(); k++) {
      out.get(edges.get(k)[0]).add(k);
    }
    boolean[] reversed = new boolean[edges.size()];
    int[] state = new int[n]; // 0 new, 1 on the stack, 2 done
    int[] next = new int[n];
    int[] stack = new int[n];
    for (int root = 0; root < n; root++) {
      if (state[root] != 0) {
        continue;
      }
      int top = 0;
      stack[top++] = root;
      state[root] = 1;
      while (top > 0) {
        int v = stack[top - 1];
        if (next[v] < out.get(v).size()) {
          int k = out.get(v).get(next[v]++);
          int u = edges.get(k)[1];
          if (state[u] == 1) {
            reversed[k] = true;
          } else if (state[u] == 0) {
            state[u] = 1;
            stack[top++] = u;
          }
        } else {
          state[v] = 2;
          top--;
        }
      }
    }
    return reversed;
  }

  /** Longest-path layers of the graph with the reversed edges turned around (acyclic). */
  static int[] layers(int n, List<int[]> edges, boolean[] reversed) {
    int[] indegree = new int[n];
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int k = 0; k < edges.size(); k++) {
      int a = reversed[k] ? edges.get(k)[1] : edges.get(k)[0];
      int b = reversed[k] ? edges.get(k)[0] : edges.get(k)[1];
      out.get(a).add(b);
      indegree[b]++;
    }
    int[] layer = new int[n];
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (indegree[i] == 0) {
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int v = queue[head++];
      for (int u : out.get(v)) {
        layer[u] = Math.max(layer[u], layer[v] + 1);
        if (--indegree[u] == 0) {
          queue[tail++] = u;
        }
      }
    }
    return layer;
  }

  private static void setPositions(List<List<Integer>> order, double[] pos) {
    for (List<Integer> row : order) {
      for (int r = 0; r < row.size(); r++) {
        pos[row.get(r)] = r;
      }
    }
  }

  private static List<List<Integer>> copy(List<List<Integer>> order) {
    List<List<Integer>> c = new ArrayList<>(order.size());
    order.forEach(row -> c.add(new ArrayList<>(row)));
    return c;
  }

  /** Crossings between consecutive layers: inversions of the edges' target ranks sorted by source rank. */
  static int crossings(List<List<Integer>> order, List<List<Integer>> down, double[] pos) {
    int total = 0;
    for (int l = 0; l + 1 < order.size(); l++) {
      List<int[]> es = new ArrayList<>();
      for (int v : order.get(l)) {
        for (int u : down.get(v)) {
          es.add(new int[] {(int) pos[v], (int) pos[u]});
        }
      }
      es.sort(Comparator.<int[]>comparingInt(e -> e[0]).thenComparingInt(e -> e[1]));
      int[] targets = new int[es.size()];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = es.get(i)[1];
      }
      total += inversions(targets, new int[targets.length], 0, targets.length);
    }
    return total;
  }

  private static int inversions(int[] a, int[] tmp, int from, int to) {
    if (to - from < 2) {
      return 0;
    }
    int mid = (from + to) >>> 1;
    int count = inversions(a, tmp, from, mid) + inversions(a, tmp, mid, to);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      if (a[j] < a[i]) {
        count += mid - i;
        tmp[k++] = a[j++];
      } else {
        tmp[k++] = a[i++];
      }
    }
    while (i < mid) {
      tmp[k++] = a[i++];
    }
    while (j < to) {
      tmp[k++] = a[j++];
    }
    System.arraycopy(tmp, from, a, from, to - from);
    return count;
  }

  /**
   * Tops of the nodes: each layer packed in order, then a few passes that move every node towards the
   * median center of its neighbours while keeping the order and the gaps.
   */
  private static double[] verticalPositions(List<List<Integer>> order, List<List<Integer>> up, List<List<Integer>> down,
      double[] h, Spacing spacing) {
    int total = h.length;
    double[] y = new double[total];
    for (List<Integer> row : order) {
      double at = 0;
      for (int v : row) {
        y[v] = at;
        at += h[v] + spacing.nodeGap();
      }
    }
    for (int pass = 0; pass < 8; pass++) {
      boolean downward = pass % 2 == 0;
      for (int step = 0; step < order.size(); step++) {
        int l = downward ? step : order.size() - 1 - step;
        List<Integer> row = order.get(l);
        double[] want = new double[row.size()];
        for (int r = 0; r < row.size(); r++) {
          int v = row.get(r);
          List<Integer> nb = new ArrayList<>(downward ? up.get(v) : down.get(v));
          if (nb.isEmpty()) {
            nb = downward ? down.get(v) : up.get(v);
          }
          if (nb.isEmpty()) {
            want[r] = y[v];
          } else {
            double[] centers = new double[nb.size()];
            for (int i = 0; i < centers.length; i++) {
              centers[i] = y[nb.get(i)] + h[nb.get(i)] / 2;
            }
            Arrays.sort(centers);
            double median = centers.length % 2 == 1 ? centers[centers.length / 2]
                : (centers[centers.length / 2 - 1] + centers[centers.length / 2]) / 2;
            want[r] = median - h[v] / 2;
          }
        }
        place(row, want, y, h, spacing.nodeGap());
      }
    }
    double min = Double.MAX_VALUE;
    for (double v : y) {
      min = Math.min(min, v);
    }
    if (total > 0) {
      for (int i = 0; i < total; i++) {
        y[i] -= min;
      }
    }
    return y;
  }

  /** Puts the row's nodes as near their wanted tops as order and gaps allow (forward, then backward, averaged). */
  private static void place(List<Integer> row, double[] want, double[] y, double[] h, double gap) {
    int m = row.size();
    double[] fwd = new double[m];
    double[] bwd = new double[m];
    for (int r = 0; r < m; r++) {
      double min = r == 0 ? -Double.MAX_VALUE : fwd[r - 1] + h[row.get(r - 1)] + gap;
      fwd[r] = Math.max(want[r], min);
    }
    for (int r = m - 1; r >= 0; r--) {
      double max = r == m - 1 ? Double.MAX_VALUE : bwd[r + 1] - h[row.get(r)] - gap;
      bwd[r] = Math.min(want[r], max);
    }
    for (int r = 0; r < m; r++) {
      double mid = (fwd[r] + bwd[r]) / 2;
      double min = r == 0 ? -Double.MAX_VALUE : y[row.get(r - 1)] + h[row.get(r - 1)] + gap;
      y[row.get(r)] = Math.max(mid, min);
    }
  }
}
