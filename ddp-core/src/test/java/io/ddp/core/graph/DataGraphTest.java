package io.ddp.core.graph;

import static io.ddp.core.plan.PlannerTest.memory;
import static io.ddp.core.plan.PlannerTest.pipe;
import static io.ddp.core.plan.PlannerTest.pipeline;
import static io.ddp.core.plan.PlannerTest.sink;
import static io.ddp.core.plan.PlannerTest.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Validator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataGraphTest {
  @Test
  void indexesProducersReadersAndEdgesOfTheQuickstartByPipeNumber() throws Exception {
    DataGraph graph = DataGraph.of(io.ddp.core.plan.PlannerTest.quickstart());

    assertThat(graph.size()).isEqualTo(4);
    assertThat(graph.producer("InputData")).isNull();
    assertThat(graph.producer("PredictionData")).isEqualTo(3);
    assertThat(graph.producers("OutputData")).containsExactly(4);
    assertThat(graph.producers("Unknown")).isEmpty();
    assertThat(graph.readers("InputData")).containsExactly(1, 2, 4);
    assertThat(graph.readers("OutputData")).isEmpty();
    assertThat(graph.upstream(1)).isEmpty();
    assertThat(graph.upstream(3)).containsExactly(1, 2);
    assertThat(graph.upstream(4)).containsExactly(3);
    assertThat(graph.downstream(1)).containsExactly(3);
    assertThat(graph.downstream(3)).containsExactly(4);
    assertThat(graph.downstream(4)).isEmpty();
    assertThat(graph.cycles()).isEmpty();
  }

  @Test
  void countsAnEdgeOnceAndIgnoresAPipeReadingItsOwnOutput() {
    PipelineDeclare p = pipeline(List.of(source("A"), memory("B"), sink("C")),
        List.of(pipe("Twice", "B", "A", "A"), pipe("Self", "C", "B", "B", "C")));
    DataGraph graph = DataGraph.of(p);

    assertThat(graph.readers("A")).containsExactly(1);
    assertThat(graph.readers("B")).containsExactly(2);
    assertThat(graph.readers("C")).containsExactly(2);
    assertThat(graph.upstream(2)).containsExactly(1);
    assertThat(graph.downstream(1)).containsExactly(2);
    assertThat(graph.downstream(2)).isEmpty();
    assertThat(graph.cycles()).as("a self-read is reported by the validator, not as a cycle").isEmpty();
  }

  @Test
  void keepsEveryProducerButNamesTheFirst() {
    DataGraph graph = DataGraph.of(pipeline(List.of(source("A"), sink("B")),
        List.of(pipe("One", "B", "A"), pipe("Two", "B", "A"))));

    assertThat(graph.producer("B")).isEqualTo(1);
    assertThat(graph.producers("B")).containsExactly(1, 2);
  }

  @Test
  void returnsCopiesOfItsArrays() {
    DataGraph graph = DataGraph.of(pipeline(List.of(source("A"), memory("B"), sink("C")),
        List.of(pipe("One", "B", "A"), pipe("Two", "C", "B"))));

    graph.upstream(2)[0] = 99;
    graph.downstream(1)[0] = 99;

    assertThat(graph.upstream(2)).containsExactly(1);
    assertThat(graph.downstream(1)).containsExactly(2);
  }

  @Test
  void findsEachCycleInDataFlowOrderFromItsLowestPipe() {
    // #1 C->A, #2 A->B, #3 B->C form one cycle; #4 and #5 feed each other; #6 reads the second cycle only.
    DataGraph graph = DataGraph.of(pipeline(
        List.of(memory("A"), memory("B"), memory("C"), memory("X"), memory("Y"), sink("Z")),
        List.of(pipe("T1", "A", "C"), pipe("T2", "B", "A"), pipe("T3", "C", "B"),
            pipe("U1", "X", "Y"), pipe("U2", "Y", "X"), pipe("V", "Z", "X"))));

    assertThat(graph.cycles()).containsExactly(List.of(1, 2, 3), List.of(4, 5));
  }

  @Test
  void findsAShortestCycleInsideALargerComponent() {
    // #1 -> #2 -> #3 -> #1, and #3 also reads #1's output directly: the shortest cycle from #1 is #1 -> #3 -> #1.
    PipelineDeclare p = pipeline(List.of(memory("A"), memory("B"), memory("C")),
        List.of(pipe("T1", "A", "C"), pipe("T2", "B", "A"), pipe("T3", "C", "B", "A")));

    assertThat(DataGraph.of(p).cycles()).containsExactly(List.of(1, 3));
    assertThat(Validator.structure(p)).extracting(Problem::message).containsExactly(
        "circular dependency among 2 pipes: C -> #1 T1 -> A -> #3 T3 -> C; a pipe cannot depend on its own output,"
            + " so break the cycle by changing one of these inputs");
  }

  @Test
  void findsACycleThroughTenThousandPipesWithoutRecursion() {
    int n = 10_000;
    List<DataDeclare> data = new ArrayList<>();
    List<TransformerDeclare> pipes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data.add(memory("D" + i));
      pipes.add(pipe("Step", "D" + i, "D" + ((i + n - 1) % n)));
    }
    PipelineDeclare ring = pipeline(data, pipes);

    long start = System.nanoTime();
    List<List<Integer>> cycles = DataGraph.of(ring).cycles();
    List<Problem> problems = Validator.structure(ring);
    System.out.println("DataGraphTest: found the cycle of a " + n + "-pipe ring in " + (System.nanoTime() - start) / 1_000_000 + " ms");

    assertThat(cycles).hasSize(1);
    assertThat(cycles.get(0)).hasSize(n).startsWith(1, 2, 3).endsWith(n);
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
        .startsWith("circular dependency among " + n + " pipes: D9999 -> #1 Step -> D0 -> #2 Step -> D1 -> "));
  }
}
