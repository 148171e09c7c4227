package io.ddp.core.graph;

import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data DAG of a pipeline, indexed once: who produces and who reads each dataId, and which pipes
 * each pipe depends on. Pipes are numbered from 1, in the order of {@code transformers}, as every
 * message and {@link io.ddp.core.plan.PlannedPipe#index()} numbers them. Every query is linear in the
 * size of the pipeline.
 */
public final class DataGraph {
  private final PipelineDeclare pipeline;
  private final Map<String, List<Integer>> producers = new HashMap<>();
  private final Map<String, List<Integer>> readers = new HashMap<>();
  // Inside, pipes are 0-based array positions; every public method takes and returns numbers from 1.
  /** For each pipe, the pipes it reads from (one entry per input that some pipe produces). */
  private final int[][] upstream;
  private final int[][] downstream;

  private DataGraph(PipelineDeclare pipeline) {
    this.pipeline = pipeline;
    List<TransformerDeclare> pipes = pipeline.transformers();
    for (int i = 0; i < pipes.size(); i++) {
      producers.computeIfAbsent(pipes.get(i).outputDataId(), k -> new ArrayList<>()).add(i);
      for (String in : pipes.get(i).inputDataId()) {
        List<Integer> of = readers.computeIfAbsent(in, k -> new ArrayList<>());
        if (of.isEmpty() || of.get(of.size() - 1) != i) {
          of.add(i);
        }
      }
    }
    upstream = new int[pipes.size()][];
    List<List<Integer>> down = new ArrayList<>();
    for (int i = 0; i < pipes.size(); i++) {
      down.add(new ArrayList<>());
    }
    for (int i = 0; i < pipes.size(); i++) {
      java.util.LinkedHashSet<Integer> ups = new java.util.LinkedHashSet<>();
      for (String in : pipes.get(i).inputDataId()) {
        List<Integer> made = producers.get(in);
        Integer p = made == null ? null : made.get(0);
        // A pipe reading its own output is reported on its own, not as a graph edge.
        if (p != null && p != i && ups.add(p)) {
          down.get(p).add(i);
        }
      }
      upstream[i] = ups.stream().mapToInt(Integer::intValue).toArray();
    }
    downstream = down.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  public static DataGraph of(PipelineDeclare pipeline) {
    return new DataGraph(pipeline);
  }

  public PipelineDeclare pipeline() {
    return pipeline;
  }

  /** The number of the first pipe that produces the dataId, or null for a source. */
  public Integer producer(String dataId) {
    List<Integer> list = producers.get(dataId);
    return list == null ? null : list.get(0) + 1;
  }

  /** The numbers of every pipe declared to produce the dataId; more than one is an error. */
  public List<Integer> producers(String dataId) {
    return numbers(producers.getOrDefault(dataId, List.of()));
  }

  /** The numbers of the pipes that read the dataId, ascending. */
  public List<Integer> readers(String dataId) {
    return numbers(readers.getOrDefault(dataId, List.of()));
  }

  /** The numbers of the pipes that pipe {@code number} reads from. */
  public int[] upstream(int number) {
    return numbers(upstream[number - 1]);
  }

  /** The numbers of the pipes that read pipe {@code number}'s output. */
  public int[] downstream(int number) {
    return numbers(downstream[number - 1]);
  }

  private static List<Integer> numbers(List<Integer> positions) {
    return positions.stream().map(p -> p + 1).toList();
  }

  private static int[] numbers(int[] positions) {
    return Arrays.stream(positions).map(p -> p + 1).toArray();
  }

  public int size() {
    return upstream.length;
  }

  /**
   * Every cycle among pipes, one per strongly connected component, each as the numbers of its pipes
   * in the order data flows, starting from the component's lowest number.
   */
  public List<List<Integer>> cycles() {
    List<List<Integer>> cycles = new ArrayList<>();
    for (List<Integer> component : stronglyConnectedComponents()) {
      if (component.size() > 1) {
        cycles.add(numbers(cycleWithin(component)));
      }
    }
    cycles.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
    return cycles;
  }

  /** Tarjan's algorithm without recursion, so 10,000-pipe chains do not overflow the stack. */
  private List<List<Integer>> stronglyConnectedComponents() {
    int n = size();
    int[] index = new int[n];
    int[] low = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> result = new ArrayList<>();
    int counter = 0;
    int[] edgePos = new int[n];
    Deque<Integer> call = new ArrayDeque<>();
    for (int root = 0; root < n; root++) {
      if (index[root] != -1) {
        continue;
      }
      call.push(root);
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      while (!call.isEmpty()) {
        int v = call.peek();
        if (edgePos[v] < downstream[v].length) {
          int w = downstream[v][edgePos[v]++];
          if (index[w] == -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            call.push(w);
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          call.pop();
          if (!call.isEmpty()) {
            int parent = call.peek();
            low[parent] = Math.min(low[parent], low[v]);
          }
          if (low[v] == index[v]) {
            List<Integer> component = new ArrayList<>();
            int w;
            do {
              w = stack.pop();
              onStack[w] = false;
              component.add(w);
            } while (w != v);
            Collections.sort(component);
            result.add(component);
          }
        }
      }
    }
    return result;
  }

  /** A shortest cycle through the component's lowest pipe, found by breadth-first search inside it. */
  private List<Integer> cycleWithin(List<Integer> component) {
    int start = component.get(0);
    boolean[] member = new boolean[size()];
    component.forEach(c -> member[c] = true);
    Map<Integer, Integer> parent = new HashMap<>();
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int w : downstream[v]) {
        if (!member[w]) {
          continue;
        }
        if (w == start) {
          List<Integer> path = new ArrayList<>();
          for (Integer x = v; x != null; x = parent.get(x)) {
            path.add(x);
          }
          Collections.reverse(path);
          return path;
        }
        if (!parent.containsKey(w) && w != start) {
          parent.put(w, v);
          queue.add(w);
        }
      }
    }
    throw new IllegalStateException("No cycle in strongly connected component " + component);
  }
}
