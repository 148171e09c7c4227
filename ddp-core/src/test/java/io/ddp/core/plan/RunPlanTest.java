package io.ddp.core.plan;

import static io.ddp.core.plan.PlannerTest.memory;
import static io.ddp.core.plan.PlannerTest.pipe;
import static io.ddp.core.plan.PlannerTest.pipeline;
import static io.ddp.core.plan.PlannerTest.sink;
import static io.ddp.core.plan.PlannerTest.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.plan.RunPlan.Kind;
import io.ddp.core.plan.RunPlan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunPlanTest {
  static DataDeclare persist(DataDeclare d, String level) {
    return d.toBuilder().persist(level).build();
  }

  static RunPlan all(ExecutionPlan plan, boolean writeSinks) {
    return RunPlan.of(Selection.all(plan), writeSinks);
  }

  /** Each step as "kind dataId <- dependsOn", to compare whole step lists at once. */
  static List<String> describe(RunPlan graph) {
    return graph.steps().stream().map(s -> s.kind() + " " + s.dataId() + " <- " + s.dependsOn()).toList();
  }

  /** Every step whose dataset the run persists / writes / materializes. */
  static List<String> persisted(RunPlan graph) {
    return graph.steps().stream().map(Step::dataId).filter(graph::persisted).toList();
  }

  static List<String> written(RunPlan graph) {
    return graph.steps().stream().map(Step::dataId).filter(graph::written).toList();
  }

  static List<String> materialized(RunPlan graph) {
    return graph.steps().stream().map(Step::dataId).filter(graph::materialized).toList();
  }

  /** releasedAfter is exactly the inverse of neededUntil, over every step. */
  static void assertReleasedAfterIsTheInverseOfNeededUntil(RunPlan graph) {
    List<String> ids = graph.steps().stream().map(Step::dataId).toList();
    for (String step : ids) {
      List<String> expected = new ArrayList<>();
      for (String d : ids) {
        if (graph.neededUntil(d).contains(step)) {
          expected.add(d);
        }
      }
      assertThat(graph.releasedAfter(step)).as("releasedAfter(%s)", step).containsExactlyInAnyOrderElementsOf(expected);
    }
    for (String d : ids) {
      assertThat(graph.neededUntil(d)).as("neededUntil(%s) holds its own step", d).contains(d);
      assertThat(ids).as("neededUntil(%s) names only steps", d).containsAll(graph.neededUntil(d));
    }
  }

  // ---------------------------------------------------------------- steps

  @Test
  void stepsReadTheSourcesFirstThenRunThePipesInPlanOrder() {
    ExecutionPlan plan = SelectionTest.paper();

    RunPlan graph = all(plan, true);

    assertThat(graph.selection().isAll()).isTrue();
    assertThat(describe(graph)).containsExactly(
        "READ InputData <- []",
        "PIPE IntermediateData <- [InputData]",
        "PIPE FeatureData <- [InputData]",
        "PIPE PredictionData <- [IntermediateData, FeatureData]",
        "PIPE OutputData <- [InputData, PredictionData]");
    assertThat(graph.steps()).extracting(Step::label).containsExactly(
        "read InputData",
        "#1 'preprocess' (Preprocess -> IntermediateData)",
        "#2 'extract' (Features -> FeatureData)",
        "#3 'score' (Model -> PredictionData)",
        "#4 'post' (Post -> OutputData)");
    Step read = graph.step("InputData");
    assertThat(read.kind()).isEqualTo(Kind.READ);
    assertThat(read.pipe()).isNull();
    assertThat(graph.step("PredictionData").pipe()).isSameAs(plan.pipe(3));
    assertThat(graph.step("Nope")).isNull();
  }

  @Test
  void pipeStepsFollowThePlanNotTheDeclaration() {
    ExecutionPlan plan = Planner.plan(pipeline(List.of(source("A"), memory("B"), sink("C")),
        List.of(pipe("Second", "C", "B"), pipe("First", "B", "A"))));

    assertThat(describe(all(plan, true))).containsExactly("READ A <- []", "PIPE B <- [A]", "PIPE C <- [B]");
  }

  @Test
  void stepsAreImmutable() {
    RunPlan graph = all(SelectionTest.chain(), true);
    Step step = graph.step("A");

    assertThatThrownBy(() -> graph.steps().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> step.dependsOn().add("X")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> graph.neededUntil("A").add("X")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> graph.releasedAfter("B").add("X")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void outputsOfUnselectedPipesBecomeReadSteps() {
    Selection resume = Selection.toProduce(SelectionTest.chain(), Set.of("B"), Set.of("A"));

    RunPlan graph = RunPlan.of(resume, true);

    assertThat(describe(graph)).containsExactly("READ A <- []", "PIPE M <- [A]", "PIPE B <- [M]");
    assertThat(graph.step("A").label()).isEqualTo("read A");
    assertThat(graph.step("Src")).isNull();
    // A is read, not produced: the run does not write it again.
    assertThat(graph.written("A")).isFalse();
    assertThat(graph.readCount("A")).isEqualTo(1);
    assertThat(written(graph)).containsExactly("B");
  }

  @Test
  void aPartialRunOfThePaperReadsTheIntermediatesItDoesNotProduce() {
    Selection from = SelectionTest.from(SelectionTest.paper(), "FeatureData");

    RunPlan graph = RunPlan.of(from, true);

    assertThat(describe(graph)).containsExactly(
        "READ IntermediateData <- []",
        "READ FeatureData <- []",
        "READ InputData <- []",
        "PIPE PredictionData <- [IntermediateData, FeatureData]",
        "PIPE OutputData <- [InputData, PredictionData]");
    // Only #4 of the selected pipes reads InputData: no longer shared, so not persisted.
    assertThat(graph.readCount("InputData")).isEqualTo(1);
    assertThat(persisted(graph)).isEmpty();
    assertThat(written(graph)).containsExactly("OutputData");
  }

  @Test
  void anEmptySelectionHasNoSteps() {
    RunPlan graph = RunPlan.of(Selection.toProduce(SelectionTest.chain(), Set.of("Src"), Set.of()), true);

    assertThat(graph.steps()).isEmpty();
    assertThat(graph.neededUntil("Src")).isEmpty();
    assertThat(graph.releasedAfter("Src")).isEmpty();
    assertThat(graph.readCount("Src")).isZero();
  }

  // ---------------------------------------------------------------- consumers, persisted, written

  @Test
  void countsConsumersAndPersistsTheSharedSourceOfThePaper() {
    RunPlan graph = all(SelectionTest.paper(), true);

    assertThat(graph.readCount("InputData")).isEqualTo(3);
    assertThat(graph.readCount("IntermediateData")).isEqualTo(1);
    assertThat(graph.readCount("FeatureData")).isEqualTo(1);
    assertThat(graph.readCount("PredictionData")).isEqualTo(1);
    assertThat(graph.readCount("OutputData")).isEqualTo(1);
    assertThat(graph.readCount("Unknown")).isZero();
    assertThat(persisted(graph)).containsExactly("InputData");
    assertThat(written(graph)).containsExactly("OutputData");
    assertThat(materialized(graph)).containsExactly("InputData", "OutputData");
  }

  @Test
  void withoutWritingSinksASinkHasOnlyItsReaders() {
    RunPlan graph = all(SelectionTest.paper(), false);

    assertThat(graph.readCount("OutputData")).isZero();
    assertThat(written(graph)).isEmpty();
    assertThat(persisted(graph)).containsExactly("InputData");
    assertThat(materialized(graph)).containsExactly("InputData");
  }

  @Test
  void aSinkReadByOnePipeIsPersistedOnlyWhenItIsAlsoWritten() {
    ExecutionPlan chain = SelectionTest.chain();

    RunPlan captured = all(chain, false);
    assertThat(captured.readCount("A")).isEqualTo(1);
    assertThat(captured.persisted("A")).isFalse();
    assertThat(captured.written("A")).isFalse();
    assertThat(captured.materialized("A")).isFalse();
    assertThat(materialized(captured)).isEmpty();

    RunPlan writing = all(chain, true);
    assertThat(writing.readCount("A")).isEqualTo(2);
    assertThat(writing.persisted("A")).isTrue();
    assertThat(writing.written("A")).isTrue();
    assertThat(writing.materialized("A")).isTrue();
    assertThat(writing.readCount("B")).isEqualTo(1);
    assertThat(writing.persisted("B")).isFalse();
    assertThat(persisted(writing)).containsExactly("A");
    assertThat(written(writing)).containsExactly("A", "B");
    assertThat(materialized(writing)).containsExactly("A", "B");
  }

  @Test
  void persistNoneNeverPersistsEvenASharedSource() {
    ExecutionPlan plan = Planner.plan(pipeline(
        List.of(persist(source("Src"), DataDeclare.PERSIST_NONE), sink("X"), sink("Y"), sink("Z")),
        List.of(pipe("T1", "X", "Src"), pipe("T2", "Y", "Src"), pipe("T3", "Z", "Src"))));

    RunPlan graph = all(plan, true);

    assertThat(graph.readCount("Src")).isEqualTo(3);
    assertThat(graph.persisted("Src")).isFalse();
    assertThat(graph.materialized("Src")).isFalse();
  }

  @Test
  void persistAutoPersistsASourceReadByThreePipes() {
    ExecutionPlan plan = Planner.plan(pipeline(
        List.of(source("Src"), sink("X"), sink("Y"), sink("Z")),
        List.of(pipe("T1", "X", "Src"), pipe("T2", "Y", "Src"), pipe("T3", "Z", "Src"))));

    RunPlan graph = all(plan, false);

    assertThat(plan.data("Src").persist()).isEqualTo(DataDeclare.PERSIST_AUTO);
    assertThat(graph.readCount("Src")).isEqualTo(3);
    assertThat(graph.persisted("Src")).isTrue();
    assertThat(graph.written("Src")).isFalse();
    assertThat(graph.materialized("Src")).isTrue();
  }

  @Test
  void aStorageLevelPersistsWhenAnythingConsumesTheDataset() {
    ExecutionPlan plan = Planner.plan(pipeline(
        List.of(persist(source("Src"), "MEMORY_ONLY"), persist(memory("P"), "DISK_ONLY"),
            persist(memory("Unread"), "DISK_ONLY"), persist(sink("W"), "MEMORY_AND_DISK")),
        List.of(pipe("T1", "P", "Src"), pipe("T2", "W", "P"), pipe("T3", "Unread", "Src"))));

    RunPlan writing = all(plan, true);
    assertThat(writing.readCount("Src")).isEqualTo(2);
    assertThat(writing.readCount("P")).isEqualTo(1);
    assertThat(writing.readCount("Unread")).isZero();
    assertThat(writing.readCount("W")).isEqualTo(1);
    assertThat(persisted(writing)).containsExactly("Src", "P", "W");

    // Not written, W has no consumer at all, so there is nothing to keep it for.
    RunPlan captured = all(plan, false);
    assertThat(captured.readCount("W")).isZero();
    assertThat(persisted(captured)).containsExactly("Src", "P");
  }

  @Test
  void aSelectionCountsOnlyItsOwnPipesAsConsumers() {
    ExecutionPlan plan = SelectionTest.diamond();

    RunPlan left = RunPlan.of(SelectionTest.from(plan, "#1"), true);

    assertThat(describe(left)).containsExactly("READ Src <- []", "READ R <- []", "PIPE L <- [Src]", "PIPE Out <- [L, R]");
    assertThat(left.readCount("Src")).isEqualTo(1);
    assertThat(left.persisted("Src")).isFalse();
    assertThat(all(plan, true).persisted("Src")).isTrue();
  }

  // ---------------------------------------------------------------- neededUntil and releasedAfter

  /** Src -> #1 -> L (lazy) -> #2 -> S (sink); Src -> #3 -> S2 (sink). Src is shared, so persisted. */
  static ExecutionPlan sharedSourceWithALazyChain() {
    return Planner.plan(pipeline(
        List.of(source("Src"), memory("L"), sink("S"), sink("S2")),
        List.of(pipe("Lazy", "L", "Src"), pipe("Write", "S", "L"), pipe("Other", "S2", "Src"))));
  }

  @Test
  void aLazyDatasetIsNeededUntilTheActionThatComputesIt() {
    RunPlan graph = all(sharedSourceWithALazyChain(), true);

    // #3 reads only the source, so it runs in stage 1 with #1, before #2.
    assertThat(describe(graph)).containsExactly("READ Src <- []", "PIPE L <- [Src]", "PIPE S2 <- [Src]", "PIPE S <- [L]");
    assertThat(persisted(graph)).containsExactly("Src");
    assertThat(written(graph)).containsExactly("S2", "S");
    assertThat(graph.materialized("L")).isFalse();
    assertThat(graph.neededUntil("L")).containsExactlyInAnyOrder("L", "S");
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "L", "S", "S2");
    assertThat(graph.neededUntil("S")).containsExactly("S");
    assertThat(graph.neededUntil("S2")).containsExactly("S2");

    assertThat(graph.releasedAfter("Src")).containsExactly("Src");
    assertThat(graph.releasedAfter("L")).containsExactlyInAnyOrder("L", "Src");
    assertThat(graph.releasedAfter("S")).containsExactlyInAnyOrder("S", "L", "Src");
    assertThat(graph.releasedAfter("S2")).containsExactlyInAnyOrder("S2", "Src");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  /** Src -> #1 -> P (persist DISK_ONLY, one consumer) -> #2 -> Q (lazy) -> #3 -> W (sink). */
  static ExecutionPlan persistedInTheMiddle() {
    return Planner.plan(pipeline(
        List.of(source("Src"), persist(memory("P"), "DISK_ONLY"), memory("Q"), sink("W")),
        List.of(pipe("MakeP", "P", "Src"), pipe("MakeQ", "Q", "P"), pipe("MakeW", "W", "Q"))));
  }

  @Test
  void aMaterializedDatasetDownstreamStopsTheWalk() {
    RunPlan graph = all(persistedInTheMiddle(), true);

    assertThat(graph.readCount("P")).isEqualTo(1);
    assertThat(persisted(graph)).containsExactly("P");
    assertThat(written(graph)).containsExactly("W");
    // Whatever follows P reads P's cache, so Src is no longer needed once P's step is done.
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "P");
    assertThat(graph.neededUntil("P")).containsExactlyInAnyOrder("P", "Q", "W");
    assertThat(graph.neededUntil("Q")).containsExactlyInAnyOrder("Q", "W");
    assertThat(graph.neededUntil("W")).containsExactly("W");

    assertThat(graph.releasedAfter("P")).containsExactlyInAnyOrder("P", "Src");
    assertThat(graph.releasedAfter("Q")).containsExactlyInAnyOrder("Q", "P");
    assertThat(graph.releasedAfter("W")).containsExactlyInAnyOrder("W", "Q", "P");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void withoutAnyMaterializationTheWalkGoesToTheEnd() {
    // Captured outputs: nothing is written and nothing is shared, so Src is needed until the last step.
    RunPlan graph = all(SelectionTest.chain(), false);

    assertThat(materialized(graph)).isEmpty();
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "A", "M", "B");
    assertThat(graph.neededUntil("A")).containsExactlyInAnyOrder("A", "M", "B");
    assertThat(graph.neededUntil("M")).containsExactlyInAnyOrder("M", "B");
    assertThat(graph.neededUntil("B")).containsExactly("B");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void aWrittenAndSharedSinkStopsTheWalk() {
    RunPlan graph = all(SelectionTest.chain(), true);

    // A is written and persisted (write + #2): Src is only needed until A's step.
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "A");
    assertThat(graph.neededUntil("A")).containsExactlyInAnyOrder("A", "M", "B");
    assertThat(graph.neededUntil("M")).containsExactlyInAnyOrder("M", "B");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void thePaperReleasesItsSourceAfterTheLastPipeThatNeedsIt() {
    RunPlan graph = all(SelectionTest.paper(), true);

    assertThat(graph.neededUntil("InputData"))
        .containsExactlyInAnyOrder("InputData", "IntermediateData", "FeatureData", "PredictionData", "OutputData");
    assertThat(graph.neededUntil("IntermediateData")).containsExactlyInAnyOrder("IntermediateData", "PredictionData", "OutputData");
    assertThat(graph.neededUntil("FeatureData")).containsExactlyInAnyOrder("FeatureData", "PredictionData", "OutputData");
    assertThat(graph.neededUntil("PredictionData")).containsExactlyInAnyOrder("PredictionData", "OutputData");
    assertThat(graph.neededUntil("OutputData")).containsExactly("OutputData");
    assertThat(graph.releasedAfter("OutputData"))
        .containsExactlyInAnyOrder("OutputData", "PredictionData", "IntermediateData", "FeatureData", "InputData");
    assertThat(graph.releasedAfter("InputData")).containsExactly("InputData");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void theDiamondsSourceWaitsForBothBranchesAndTheJoin() {
    RunPlan graph = all(SelectionTest.diamond(), true);

    assertThat(persisted(graph)).containsExactly("Src");
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "L", "R", "Out");
    assertThat(graph.neededUntil("L")).containsExactlyInAnyOrder("L", "Out");
    assertThat(graph.neededUntil("R")).containsExactlyInAnyOrder("R", "Out");
    assertThat(graph.releasedAfter("Out")).containsExactlyInAnyOrder("Out", "L", "R", "Src");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void aSharedLazyDatasetWaitsForEveryReader() {
    // L is read by two pipes but declared "none": each reader recomputes it from Src.
    ExecutionPlan plan = Planner.plan(pipeline(
        List.of(source("Src"), persist(memory("L"), DataDeclare.PERSIST_NONE), sink("X"), sink("Y")),
        List.of(pipe("MakeL", "L", "Src"), pipe("ToX", "X", "L"), pipe("ToY", "Y", "L"))));

    RunPlan graph = all(plan, true);

    assertThat(graph.readCount("L")).isEqualTo(2);
    assertThat(graph.persisted("L")).isFalse();
    assertThat(graph.neededUntil("L")).containsExactlyInAnyOrder("L", "X", "Y");
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "L", "X", "Y");
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void neededUntilCountsOnlySelectedConsumers() {
    ExecutionPlan plan = SelectionTest.diamond();

    RunPlan left = RunPlan.of(SelectionTest.from(plan, "#1"), true);

    // #2 is not selected: R is read, and Src is needed only through L.
    assertThat(left.neededUntil("Src")).containsExactlyInAnyOrder("Src", "L", "Out");
    assertThat(left.neededUntil("R")).containsExactlyInAnyOrder("R", "Out");
    assertThat(left.neededUntil("L")).containsExactlyInAnyOrder("L", "Out");
    assertReleasedAfterIsTheInverseOfNeededUntil(left);
  }

  @Test
  void aReadStepOfAPartialRunIsReleasedLikeAnyOther() {
    Selection resume = Selection.toProduce(SelectionTest.chain(), Set.of("B"), Set.of("A"));

    RunPlan graph = RunPlan.of(resume, true);

    assertThat(graph.neededUntil("A")).containsExactlyInAnyOrder("A", "M", "B");
    assertThat(graph.neededUntil("M")).containsExactlyInAnyOrder("M", "B");
    assertThat(graph.neededUntil("Src")).isEmpty();
    assertReleasedAfterIsTheInverseOfNeededUntil(graph);
  }

  @Test
  void aWrittenAndPersistedSinkStopsTheWalkForItsReaders() {
    // Control for the disabled test below: under "auto" the read sink W is persisted (write + #3),
    // so X reads W's cache and Q is indeed done once W's step is.
    ExecutionPlan plan = writtenUncachedSinkReadDownstream(DataDeclare.PERSIST_AUTO);

    RunPlan graph = all(plan, true);

    assertThat(graph.persisted("W")).isTrue();
    assertThat(graph.neededUntil("Q")).containsExactlyInAnyOrder("Q", "W");
  }

  /** Src -> #1 -> Q (lazy) -> #2 -> W (sink, the given persist) -> #3 -> X (sink). */
  static ExecutionPlan writtenUncachedSinkReadDownstream(String persistOfW) {
    return Planner.plan(pipeline(
        List.of(source("Src"), memory("Q"), persist(sink("W"), persistOfW), sink("X")),
        List.of(pipe("MakeQ", "Q", "Src"), pipe("MakeW", "W", "Q"), pipe("MakeX", "X", "W"))));
  }

  @Test
  void aWrittenButUncachedSinkKeepsItsLineageNeededUntilItsReadersAreDone() {
    RunPlan graph = all(writtenUncachedSinkReadDownstream(DataDeclare.PERSIST_NONE), true);

    assertThat(graph.readCount("W")).isEqualTo(2);
    assertThat(graph.persisted("W")).isFalse();
    assertThat(graph.written("W")).isTrue();
    // X's write recomputes W, hence Q (and Src), from their lineage.
    assertThat(graph.neededUntil("Q")).containsExactlyInAnyOrder("Q", "W", "X");
    assertThat(graph.neededUntil("Src")).containsExactlyInAnyOrder("Src", "Q", "W", "X");
  }

  @Test
  void stepRecordCopiesItsDependencies() {
    List<String> inputs = new ArrayList<>(List.of("A"));
    Step step = new Step("B", Kind.READ, null, inputs);
    inputs.add("C");

    assertThat(step.dependsOn()).containsExactly("A");
    assertThat(step.label()).isEqualTo("read B");
    assertThat(Optional.ofNullable(step.pipe())).isEmpty();
  }

  static RunPlan metricsGraph(String format, String mode) {
    return metricsGraph(format, mode, "auto");
  }

  static RunPlan metricsGraph(String format, String mode, String markedPersist) {
    String json = "{\"data\": [{\"dataId\": \"In\", \"location\": \"/in\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"Marked\", \"persist\": \"" + markedPersist + "\"},"
        + " {\"dataId\": \"Out\", \"location\": \"/out\", \"format\": \"" + format + "\", \"mode\": \"" + mode + "\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"In\"], \"transformerType\": \"A\", \"outputDataId\": \"Marked\"},"
        + " {\"inputDataId\": [\"Marked\"], \"transformerType\": \"B\", \"outputDataId\": \"Out\"}],"
        + " \"metrics\": [{\"metricId\": \"n\", \"dataId\": \"Marked\", \"expression\": \"count(1)\"},"
        + " {\"metricId\": \"perLang\", \"dataId\": \"Out\", \"expression\": \"count(1)\", \"groupBy\": [\"lang\"]}]}";
    ExecutionPlan plan = Planner.plan(io.ddp.core.json.PipelineReader.read(json, "t.json", "t", java.util.Map.of(), n -> null).pipeline());
    return all(plan, true);
  }

  @Test
  void groupedMetricsOfAWrittenColumnarDatasetReadTheFilesBackInsteadOfKeepingACopy() {
    RunPlan graph = metricsGraph("parquet", "overwrite");
    assertThat(graph.groupedFromWrite("Out")).isTrue();
    assertThat(graph.measured("Out")).isTrue();
    // Marked: one reader plus its ungrouped metric, which no write computes: kept. Out: written only.
    assertThat(persisted(graph)).containsExactly("Marked");
    assertThat(graph.readCount("Out")).isEqualTo(1);
  }

  @Test
  void groupedMetricsKeepTheDatasetWhenTheWrittenFilesAreNotExactlyThisRunsRows() {
    for (String[] c : new String[][] {{"parquet", "append"}, {"parquet", "ignore"}, {"csv", "overwrite"}}) {
      RunPlan graph = metricsGraph(c[0], c[1]);
      assertThat(graph.groupedFromWrite("Out")).as(String.join(" ", c)).isFalse();
      assertThat(persisted(graph)).as(String.join(" ", c)).containsExactly("Marked", "Out");
    }
  }

  @Test
  void plainMetricsOfADatasetDeclaredPersistNoneAreObservedInPlaceWithoutAStepOfTheirOwn() {
    RunPlan graph = metricsGraph("parquet", "overwrite", "none");
    assertThat(graph.observedInPlace("Marked")).isTrue();
    assertThat(graph.measured("Marked")).isFalse();
    assertThat(persisted(graph)).isEmpty();
    assertThat(materialized(graph)).containsExactly("Out");
    assertThat(metricsGraph("parquet", "overwrite").observedInPlace("Marked")).isFalse();
  }
}
