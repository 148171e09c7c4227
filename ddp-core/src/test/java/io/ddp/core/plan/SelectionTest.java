package io.ddp.core.plan;

import static io.ddp.core.plan.PlannerTest.memory;
import static io.ddp.core.plan.PlannerTest.pipe;
import static io.ddp.core.plan.PlannerTest.pipeline;
import static io.ddp.core.plan.PlannerTest.sink;
import static io.ddp.core.plan.PlannerTest.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.TransformerDeclare;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelectionTest {
  private static final String HINT = "; give a dataId, a pipe \"name\", or an index like 3";

  static TransformerDeclare named(String name, String type, String output, String... inputs) {
    return new TransformerDeclare(name, List.of(inputs), type, output, null);
  }

  /**
   * The paper's pipeline: InputData -> #1 'preprocess' -> IntermediateData; InputData -> #2 'extract' ->
   * FeatureData; IntermediateData + FeatureData -> #3 'score' -> PredictionData; InputData +
   * PredictionData -> #4 'post' -> OutputData (sink). Only OutputData is written.
   */
  static ExecutionPlan paper() {
    return Planner.plan(pipeline(
        List.of(source("InputData"), memory("IntermediateData"), memory("FeatureData"), memory("PredictionData"),
            sink("OutputData")),
        List.of(
            named("preprocess", "Preprocess", "IntermediateData", "InputData"),
            named("extract", "Features", "FeatureData", "InputData"),
            named("score", "Model", "PredictionData", "IntermediateData", "FeatureData"),
            named("post", "Post", "OutputData", "InputData", "PredictionData"))));
  }

  /** Src -> #1 Clean -> A (sink) -> #2 Enrich -> M (in memory) -> #3 Aggregate -> B (sink). */
  static ExecutionPlan chain() {
    return Planner.plan(pipeline(
        List.of(source("Src"), sink("A"), memory("M"), sink("B")),
        List.of(pipe("Clean", "A", "Src"), pipe("Enrich", "M", "A"), pipe("Aggregate", "B", "M"))));
  }

  /** Src -> #1 Left -> L; Src -> #2 Right -> R; L + R -> #3 Join -> Out (sink). L and R in memory. */
  static ExecutionPlan diamond() {
    return Planner.plan(pipeline(
        List.of(source("Src"), memory("L"), memory("R"), sink("Out")),
        List.of(pipe("Left", "L", "Src"), pipe("Right", "R", "Src"), pipe("Join", "Out", "L", "R"))));
  }

  static Selection from(ExecutionPlan plan, String id) {
    return Selection.partial(plan, Optional.of(id), Optional.empty(), Optional.empty());
  }

  static Selection to(ExecutionPlan plan, String id) {
    return Selection.partial(plan, Optional.empty(), Optional.of(id), Optional.empty());
  }

  static Selection only(ExecutionPlan plan, String id) {
    return Selection.partial(plan, Optional.empty(), Optional.empty(), Optional.of(id));
  }

  static Selection between(ExecutionPlan plan, String from, String to) {
    return Selection.partial(plan, Optional.of(from), Optional.of(to), Optional.empty());
  }

  // ---------------------------------------------------------------- all

  @Test
  void allSelectsEveryPipeAndReadsOnlyTheSources() {
    ExecutionPlan plan = paper();

    Selection all = Selection.all(plan);

    assertThat(all.plan()).isSameAs(plan);
    assertThat(all.pipes()).containsExactly(1, 2, 3, 4);
    assertThat(all.isAll()).isTrue();
    assertThat(all.contains(1)).isTrue();
    assertThat(all.contains(4)).isTrue();
    assertThat(all.contains(5)).isFalse();
    assertThat(all.order()).extracting(PlannedPipe::index).containsExactly(1, 2, 3, 4);
    assertThat(all.readFromLocation()).containsExactly("InputData");
    assertThat(all.unavailableInputs()).isEmpty();
  }

  @Test
  void allOfTheChainAndDiamondReadsTheirSource() {
    assertThat(Selection.all(chain()).pipes()).containsExactly(1, 2, 3);
    assertThat(Selection.all(chain()).readFromLocation()).containsExactly("Src");
    assertThat(Selection.all(diamond()).pipes()).containsExactly(1, 2, 3);
    assertThat(Selection.all(diamond()).readFromLocation()).containsExactly("Src");
  }

  @Test
  void noOptionSelectsEverything() {
    Selection none = Selection.partial(paper(), Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(none.pipes()).containsExactly(1, 2, 3, 4);
    assertThat(none.isAll()).isTrue();
    assertThat(none.readFromLocation()).containsExactly("InputData");
  }

  @Test
  void orderFollowsThePlanNotTheDeclaration() {
    // #1 reads B which #2 produces: the plan runs #2 first.
    ExecutionPlan plan = Planner.plan(pipeline(List.of(source("A"), memory("B"), sink("C")),
        List.of(pipe("Second", "C", "B"), pipe("First", "B", "A"))));

    Selection all = Selection.all(plan);

    assertThat(all.pipes()).containsExactly(1, 2);
    assertThat(all.order()).extracting(PlannedPipe::index).containsExactly(2, 1);
    assertThat(to(plan, "#1").order()).extracting(PlannedPipe::index).containsExactly(2, 1);
  }

  @Test
  void pipesAreUnmodifiable() {
    Selection all = Selection.all(paper());

    assertThatThrownBy(() -> all.pipes().add(9)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> all.readFromLocation().add("X")).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---------------------------------------------------------------- --from

  @Test
  void fromAPipeSelectsItAndEverythingDownstream() {
    ExecutionPlan plan = paper();

    Selection s = from(plan, "#2");

    assertThat(s.pipes()).containsExactly(2, 3, 4);
    assertThat(s.isAll()).isFalse();
    assertThat(s.contains(1)).isFalse();
    assertThat(s.readFromLocation()).containsExactly("InputData", "IntermediateData");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "#2", "extract"})
  void aPipeCanBeNamedByIndexWithOrWithoutHashOrByName(String id) {
    assertThat(from(paper(), id).pipes()).containsExactly(2, 3, 4);
    assertThat(to(paper(), id).pipes()).containsExactly(2);
    assertThat(only(paper(), id).pipes()).containsExactly(2);
  }

  @Test
  void fromTheFirstPipeOfTheChainIsEverything() {
    Selection s = from(chain(), "1");

    assertThat(s.pipes()).containsExactly(1, 2, 3);
    assertThat(s.isAll()).isTrue();
    assertThat(s.readFromLocation()).containsExactly("Src");
  }

  @Test
  void fromADatasetSelectsItsReadersAndEverythingDownstream() {
    ExecutionPlan plan = paper();

    Selection s = from(plan, "FeatureData");

    assertThat(s.pipes()).containsExactly(3, 4);
    assertThat(s.order()).extracting(PlannedPipe::index).containsExactly(3, 4);
    // #3 reads both in-memory intermediates, #4 the source; PredictionData comes from selected #3.
    assertThat(s.readFromLocation()).containsExactly("IntermediateData", "FeatureData", "InputData");
  }

  @Test
  void fromASourceSelectsEveryReaderAndWhatFollows() {
    assertThat(from(paper(), "InputData").pipes()).containsExactly(1, 2, 3, 4);
    assertThat(from(diamond(), "Src").pipes()).containsExactly(1, 2, 3);
  }

  @Test
  void fromAWrittenDatasetReadsItFromItsLocation() {
    Selection s = from(chain(), "A");

    assertThat(s.pipes()).containsExactly(2, 3);
    assertThat(s.readFromLocation()).containsExactly("A");
    assertThat(s.unavailableInputs()).isEmpty();
  }

  @Test
  void fromOneBranchOfTheDiamondSkipsTheOther() {
    Selection s = from(diamond(), "#1");

    assertThat(s.pipes()).containsExactly(1, 3);
    assertThat(s.readFromLocation()).containsExactly("Src", "R");
  }

  @Test
  void fromADatasetNothingReadsIsAnError() {
    assertThatThrownBy(() -> from(paper(), "OutputData"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from OutputData: no pipe reads dataset 'OutputData'");
  }

  // ---------------------------------------------------------------- --to

  @Test
  void toAPipeSelectsItAndEverythingUpstream() {
    assertThat(to(paper(), "#3").pipes()).containsExactly(1, 2, 3);
    assertThat(to(paper(), "score").readFromLocation()).containsExactly("InputData");
    assertThat(to(paper(), "#1").pipes()).containsExactly(1);
    assertThat(to(paper(), "4").pipes()).containsExactly(1, 2, 3, 4);
    assertThat(to(diamond(), "#3").pipes()).containsExactly(1, 2, 3);
    assertThat(to(diamond(), "#2").pipes()).containsExactly(2);
  }

  @Test
  void toADatasetSelectsItsProducerAndEverythingUpstream() {
    assertThat(to(paper(), "PredictionData").pipes()).containsExactly(1, 2, 3);
    assertThat(to(paper(), "FeatureData").pipes()).containsExactly(2);
    assertThat(to(paper(), "OutputData").pipes()).containsExactly(1, 2, 3, 4);
    assertThat(to(chain(), "M").pipes()).containsExactly(1, 2);
    assertThat(to(chain(), "M").readFromLocation()).containsExactly("Src");
    assertThat(to(diamond(), "L").pipes()).containsExactly(1);
  }

  @Test
  void toASourceIsAnError() {
    assertThatThrownBy(() -> to(paper(), "InputData"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --to InputData: dataset 'InputData' is a source, nothing produces it;"
            + " name a produced dataset or a pipe");
  }

  // ---------------------------------------------------------------- --only

  @Test
  void onlyAPipeSelectsThatPipe() {
    Selection s = only(paper(), "#4");

    assertThat(s.pipes()).containsExactly(4);
    assertThat(s.readFromLocation()).containsExactly("InputData", "PredictionData");
    assertThat(only(paper(), "post").pipes()).containsExactly(4);
  }

  @Test
  void onlyADatasetSelectsItsProducer() {
    assertThat(only(paper(), "PredictionData").pipes()).containsExactly(3);
    assertThat(only(chain(), "M").pipes()).containsExactly(2);
    assertThat(only(chain(), "M").readFromLocation()).containsExactly("A");
    assertThat(only(chain(), "M").unavailableInputs()).isEmpty();
  }

  @Test
  void onlyASourceIsAnError() {
    assertThatThrownBy(() -> only(chain(), "Src"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --only Src: dataset 'Src' is a source, nothing produces it; name a produced dataset or a pipe");
  }

  @Test
  void onlyWithFromOrToIsAnError() {
    String message = "Cannot combine --only with --from or --to: --only selects exactly one pipe";
    assertThatThrownBy(() -> Selection.partial(paper(), Optional.of("#1"), Optional.empty(), Optional.of("#3")))
        .isInstanceOf(DdpException.class).hasMessage(message);
    assertThatThrownBy(() -> Selection.partial(paper(), Optional.empty(), Optional.of("#4"), Optional.of("#3")))
        .isInstanceOf(DdpException.class).hasMessage(message);
    assertThatThrownBy(() -> Selection.partial(paper(), Optional.of("#1"), Optional.of("#4"), Optional.of("#3")))
        .isInstanceOf(DdpException.class).hasMessage(message);
  }

  @Test
  void onlyWithFromIsRefusedBeforeTheIdsAreResolved() {
    assertThatThrownBy(() -> Selection.partial(paper(), Optional.of("Nope"), Optional.empty(), Optional.of("Nada")))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot combine --only with --from or --to: --only selects exactly one pipe");
  }

  // ---------------------------------------------------------------- --from and --to

  @Test
  void fromAndToSelectWhatLiesBetween() {
    ExecutionPlan plan = paper();

    assertThat(between(plan, "#2", "#3").pipes()).containsExactly(2, 3);
    assertThat(between(plan, "#2", "#3").readFromLocation()).containsExactly("InputData", "IntermediateData");
    assertThat(between(plan, "FeatureData", "PredictionData").pipes()).containsExactly(3);
    assertThat(between(plan, "InputData", "OutputData").pipes()).containsExactly(1, 2, 3, 4);
    assertThat(between(plan, "preprocess", "post").pipes()).containsExactly(1, 3, 4);
    assertThat(between(plan, "#3", "#3").pipes()).containsExactly(3);
    assertThat(between(chain(), "A", "B").pipes()).containsExactly(2, 3);
    assertThat(between(diamond(), "#2", "Out").pipes()).containsExactly(2, 3);
  }

  @Test
  void fromAndToWithNothingBetweenIsAnError() {
    assertThatThrownBy(() -> between(paper(), "#1", "#2"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from #1 --to #2: no pipe lies between them (#2 is not downstream of #1)");
    assertThatThrownBy(() -> between(chain(), "M", "A"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from M --to A: no pipe lies between them (A is not downstream of M)");
    assertThatThrownBy(() -> between(diamond(), "L", "R"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from L --to R: no pipe lies between them (R is not downstream of L)");
  }

  @Test
  void fromAndToWithASourceTargetIsTheSourceError() {
    assertThatThrownBy(() -> between(paper(), "#1", "InputData"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --to InputData: dataset 'InputData' is a source, nothing produces it;"
            + " name a produced dataset or a pipe");
  }

  // ---------------------------------------------------------------- unknown ids

  @Test
  void anUnknownIdSuggestsTheClosestDataset() {
    assertThatThrownBy(() -> from(paper(), "FeatureDta"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from FeatureDta: no dataset, pipe name or pipe index is called 'FeatureDta'"
            + " (did you mean 'FeatureData'?)" + HINT);
  }

  @Test
  void anUnknownIdSuggestsTheClosestPipeName() {
    assertThatThrownBy(() -> to(paper(), "scroe"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --to scroe: no dataset, pipe name or pipe index is called 'scroe'"
            + " (did you mean 'score'?)" + HINT);
  }

  @Test
  void anUnknownIdWithNothingCloseHasNoSuggestion() {
    assertThatThrownBy(() -> only(paper(), "Zzz"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --only Zzz: no dataset, pipe name or pipe index is called 'Zzz'" + HINT);
  }

  @Test
  void dataIdsAreCaseSensitive() {
    assertThatThrownBy(() -> from(chain(), "src"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from src: no dataset, pipe name or pipe index is called 'src'"
            + " (did you mean 'Src'?)" + HINT);
  }

  @Test
  void anIndexOutOfRangeIsAnError() {
    assertThatThrownBy(() -> from(paper(), "#5"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from #5: the pipeline has pipes #1 to #4");
    assertThatThrownBy(() -> to(paper(), "0"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --to 0: the pipeline has pipes #1 to #4");
    assertThatThrownBy(() -> only(chain(), "#4"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --only #4: the pipeline has pipes #1 to #3");
  }

  @Test
  void aNegativeOrMalformedIndexIsAnUnknownId() {
    assertThatThrownBy(() -> from(chain(), "-1"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot run --from -1: no dataset, pipe name or pipe index is called '-1'" + HINT);
    assertThatThrownBy(() -> from(chain(), "##1"))
        .isInstanceOf(DdpException.class)
        .hasMessageStartingWith("Cannot run --from ##1: no dataset, pipe name or pipe index is called '##1'");
  }

  // ---------------------------------------------------------------- readFromLocation and unavailableInputs

  @Test
  void unselectedProducersOfInMemoryDataMakeItUnavailable() {
    Selection s = from(paper(), "FeatureData");

    assertThat(s.unavailableInputs()).containsExactly(
        "dataset 'IntermediateData' is read by #3 'score' (Model -> PredictionData) but produced by"
            + " #1 'preprocess' (Preprocess -> IntermediateData), which is not selected, and it has no location to read"
            + " it from; run #1 'preprocess' (Preprocess -> IntermediateData) in the same run (e.g. --to 3) or give"
            + " 'IntermediateData' a location",
        "dataset 'FeatureData' is read by #3 'score' (Model -> PredictionData) but produced by"
            + " #2 'extract' (Features -> FeatureData), which is not selected, and it has no location to read"
            + " it from; run #2 'extract' (Features -> FeatureData) in the same run (e.g. --to 3) or give"
            + " 'FeatureData' a location");
  }

  @Test
  void unavailableInputsNameTheFirstSelectedReader() {
    // #4 is the only selected reader of PredictionData.
    assertThat(only(paper(), "#4").unavailableInputs()).containsExactly(
        "dataset 'PredictionData' is read by #4 'post' (Post -> OutputData) but produced by"
            + " #3 'score' (Model -> PredictionData), which is not selected, and it has no location to read it from;"
            + " run #3 'score' (Model -> PredictionData) in the same run (e.g. --to 4) or give 'PredictionData' a location");
  }

  @Test
  void unavailableInputsOfTheChainAndDiamondUseUnnamedLabels() {
    assertThat(only(chain(), "B").readFromLocation()).containsExactly("M");
    assertThat(only(chain(), "B").unavailableInputs()).containsExactly(
        "dataset 'M' is read by #3 Aggregate -> B but produced by #2 Enrich -> M, which is not selected, and it has"
            + " no location to read it from; run #2 Enrich -> M in the same run (e.g. --to 3) or give 'M' a location");
    assertThat(from(diamond(), "#1").unavailableInputs()).containsExactly(
        "dataset 'R' is read by #3 Join -> Out but produced by #2 Right -> R, which is not selected, and it has"
            + " no location to read it from; run #2 Right -> R in the same run (e.g. --to 3) or give 'R' a location");
  }

  @Test
  void sourcesAndWrittenDataAreAvailable() {
    assertThat(from(chain(), "#2").readFromLocation()).containsExactly("A");
    assertThat(from(chain(), "#2").unavailableInputs()).isEmpty();
    assertThat(only(paper(), "#1").readFromLocation()).containsExactly("InputData");
    assertThat(only(paper(), "#1").unavailableInputs()).isEmpty();
  }

  @Test
  void anInMemoryDatasetGivenALocationBecomesAvailable() {
    ExecutionPlan plan = Planner.plan(pipeline(
        List.of(source("Src"), memory("L"), sink("R"), sink("Out")),
        List.of(pipe("Left", "L", "Src"), pipe("Right", "R", "Src"), pipe("Join", "Out", "L", "R"))));

    Selection s = from(plan, "#1");

    assertThat(s.readFromLocation()).containsExactly("Src", "R");
    assertThat(s.unavailableInputs()).isEmpty();
  }

  // ---------------------------------------------------------------- toProduce

  @Test
  void toProduceReadsAnAvailableSinkInsteadOfRecomputingIt() {
    Selection s = Selection.toProduce(chain(), Set.of("B"), Set.of("A"));

    assertThat(s.pipes()).containsExactly(2, 3);
    assertThat(s.readFromLocation()).containsExactly("A");
    assertThat(s.unavailableInputs()).isEmpty();
  }

  @Test
  void toProduceWithNothingAvailableRunsTheWholeLineage() {
    Selection s = Selection.toProduce(chain(), Set.of("B"), Set.of());

    assertThat(s.pipes()).containsExactly(1, 2, 3);
    assertThat(s.readFromLocation()).containsExactly("Src");
    assertThat(s.isAll()).isTrue();
  }

  @Test
  void toProduceRecomputesAvailableDataWithoutALocation() {
    // M is in memory: even if a previous run produced it, it is gone, so it is recomputed from A.
    Selection s = Selection.toProduce(chain(), Set.of("B"), Set.of("A", "M"));

    assertThat(s.pipes()).containsExactly(2, 3);
    assertThat(s.readFromLocation()).containsExactly("A");
  }

  @Test
  void toProduceRecomputesAvailableTargets() {
    assertThat(Selection.toProduce(chain(), Set.of("B"), Set.of("B")).pipes()).containsExactly(1, 2, 3);
    assertThat(Selection.toProduce(chain(), Set.of("A", "B"), Set.of("A")).pipes()).containsExactly(1, 2, 3);
    assertThat(Selection.toProduce(chain(), Set.of("A", "B"), Set.of("A")).readFromLocation()).containsExactly("Src");
  }

  @Test
  void toProduceOnlyWhatTheTargetsNeed() {
    assertThat(Selection.toProduce(chain(), Set.of("A"), Set.of()).pipes()).containsExactly(1);
    assertThat(Selection.toProduce(paper(), Set.of("FeatureData"), Set.of()).pipes()).containsExactly(2);
    assertThat(Selection.toProduce(paper(), Set.of("OutputData"), Set.of()).pipes()).containsExactly(1, 2, 3, 4);
    assertThat(Selection.toProduce(diamond(), Set.of("L"), Set.of()).pipes()).containsExactly(1);
  }

  @Test
  void toProduceASourceOrNothingSelectsNoPipe() {
    Selection source = Selection.toProduce(chain(), Set.of("Src"), Set.of());
    assertThat(source.pipes()).isEmpty();
    assertThat(source.readFromLocation()).isEmpty();
    assertThat(source.isAll()).isFalse();

    assertThat(Selection.toProduce(chain(), Set.of(), Set.of("A")).pipes()).isEmpty();
  }

  @Test
  void toProduceIgnoresAvailableDataTheTargetsDoNotNeed() {
    Selection s = Selection.toProduce(diamond(), Set.of("Out"), Set.of("Src", "Out2"));

    assertThat(s.pipes()).containsExactly(1, 2, 3);
    assertThat(s.readFromLocation()).containsExactly("Src");
  }

  @Test
  void toProduceInTheDiamondReadsTheWrittenBranchOnly() {
    ExecutionPlan plan = Planner.plan(pipeline(
        List.of(source("Src"), memory("L"), sink("R"), sink("Out")),
        List.of(pipe("Left", "L", "Src"), pipe("Right", "R", "Src"), pipe("Join", "Out", "L", "R"))));

    Selection s = Selection.toProduce(plan, Set.of("Out"), Set.of("L", "R"));

    assertThat(s.pipes()).containsExactly(1, 3);
    assertThat(s.readFromLocation()).containsExactly("Src", "R");
    assertThat(s.unavailableInputs()).isEmpty();
  }
}
