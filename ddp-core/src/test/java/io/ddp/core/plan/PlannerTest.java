package io.ddp.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PlannerTest {
  public static PipelineDeclare quickstart() throws Exception {
    Path file = Path.of(PlannerTest.class.getResource("/pipelines/quickstart.json").toURI());
    PipelineReader.Result result = PipelineReader.read(file, Map.of());
    assertThat(result.problems()).isEmpty();
    return result.pipeline();
  }

  public static PipelineReader.Result read(String json) {
    PipelineReader.Result result = PipelineReader.read(json, "plan.json", "plan", Map.of(), name -> null);
    assertThat(result.problems()).as("reading problems").isEmpty();
    return result;
  }

  public static DataDeclare source(String id) {
    return DataDeclare.builder(id).location(id + ".csv").format("csv").build();
  }

  public static DataDeclare memory(String id) {
    return DataDeclare.builder(id).build();
  }

  public static DataDeclare sink(String id) {
    return DataDeclare.builder(id).location("out/" + id).format("parquet").build();
  }

  public static TransformerDeclare pipe(String type, String output, String... inputs) {
    return new TransformerDeclare(List.of(inputs), type, output);
  }

  public static PipelineDeclare pipeline(List<DataDeclare> data, List<TransformerDeclare> pipes) {
    return new PipelineDeclare("test", Map.of(), Map.of(), data, pipes, List.of());
  }

  /** Each stage as the list of its pipes' 1-based indexes. */
  static List<List<Integer>> stageIndexes(ExecutionPlan plan) {
    return plan.stages().stream().map(s -> s.pipes().stream().map(PlannedPipe::index).toList()).toList();
  }

  @Test
  void plansTheQuickstartInThreeStages() throws Exception {
    PipelineDeclare pipeline = quickstart();
    assertThat(Validator.structure(pipeline)).isEmpty();

    ExecutionPlan plan = Planner.plan(pipeline);

    assertThat(plan.stages()).extracting(Stage::number).containsExactly(1, 2, 3);
    assertThat(plan.stages().get(0).pipes()).extracting(PlannedPipe::label).containsExactly(
        "#1 PreprocessTransformer -> IntermediateData", "#2 FeatureGenerationTransformer -> FeatureData");
    assertThat(plan.stages().get(1).pipes()).extracting(PlannedPipe::label).containsExactly(
        "#3 ModelPredictionTransformer -> PredictionData");
    assertThat(plan.stages().get(2).pipes()).extracting(PlannedPipe::label).containsExactly(
        "#4 PostProcessTransformer -> OutputData");
    assertThat(plan.order()).extracting(PlannedPipe::describe).containsExactly(
        "#1 PreprocessTransformer [InputData] -> IntermediateData",
        "#2 FeatureGenerationTransformer [InputData] -> FeatureData",
        "#3 ModelPredictionTransformer [IntermediateData, FeatureData] -> PredictionData",
        "#4 PostProcessTransformer [InputData, PredictionData] -> OutputData");
    assertThat(plan.order()).extracting(PlannedPipe::stage).containsExactly(1, 1, 2, 3);
    assertThat(plan.pipe(3).stage()).isEqualTo(2);
    assertThat(plan.pipe(3).declaration().params().get("threshold").asDouble()).isEqualTo(0.5);
  }

  @Test
  void knowsTheRoleProducerAndReadersOfEachQuickstartDataset() throws Exception {
    ExecutionPlan plan = Planner.plan(quickstart());

    assertThat(plan.role("InputData")).isEqualTo(ExecutionPlan.Role.SOURCE);
    assertThat(plan.role("IntermediateData")).isEqualTo(ExecutionPlan.Role.INTERMEDIATE);
    assertThat(plan.role("FeatureData")).isEqualTo(ExecutionPlan.Role.INTERMEDIATE);
    assertThat(plan.role("PredictionData")).isEqualTo(ExecutionPlan.Role.INTERMEDIATE);
    assertThat(plan.role("OutputData")).isEqualTo(ExecutionPlan.Role.SINK);
    assertThat(plan.datasets(ExecutionPlan.Role.SOURCE)).extracting(DataDeclare::dataId).containsExactly("InputData");
    assertThat(plan.datasets(ExecutionPlan.Role.INTERMEDIATE)).extracting(DataDeclare::dataId)
        .containsExactly("IntermediateData", "FeatureData", "PredictionData");
    assertThat(plan.datasets(ExecutionPlan.Role.SINK)).extracting(DataDeclare::dataId).containsExactly("OutputData");

    assertThat(plan.producer("InputData")).isEmpty();
    assertThat(plan.producer("PredictionData")).map(PlannedPipe::index).contains(3);
    assertThat(plan.readers("InputData")).extracting(PlannedPipe::index).containsExactly(1, 2, 4);
    assertThat(plan.readers("OutputData")).isEmpty();
    assertThat(plan.data().keySet()).containsExactly("InputData", "IntermediateData", "FeatureData", "PredictionData", "OutputData");
    assertThat(plan.data("OutputData").location()).isEqualTo("output/quickstart/scored_reviews");
    assertThat(plan.data("InputData").location()).endsWith("/pipelines/data/reviews.csv");
  }

  @Test
  void failsClearlyForUnknownIndexesAndIds() throws Exception {
    ExecutionPlan plan = Planner.plan(quickstart());

    assertThatThrownBy(() -> plan.pipe(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find pipe #0; the pipeline has 4");
    assertThatThrownBy(() -> plan.pipe(5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find pipe #5; the pipeline has 4");
    assertThatThrownBy(() -> plan.data("Nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find dataset 'Nope' in pipeline quickstart");
  }

  @Test
  void keepsDeclarationOrderWithinAStageWhenConsumersComeFirst() {
    PipelineDeclare pipeline = pipeline(
        List.of(source("A"), memory("B"), sink("C"), sink("D"), sink("E")),
        List.of(
            pipe("ReadsB1", "C", "B"),   // #1, stage 2
            pipe("MakesB", "B", "A"),    // #2, stage 1
            pipe("ReadsB2", "D", "B"),   // #3, stage 2
            pipe("ReadsA", "E", "A")));  // #4, stage 1

    ExecutionPlan plan = Planner.plan(pipeline);

    assertThat(stageIndexes(plan)).containsExactly(List.of(2, 4), List.of(1, 3));
    assertThat(plan.order()).extracting(PlannedPipe::describe).containsExactly(
        "#2 MakesB [A] -> B", "#4 ReadsA [A] -> E", "#1 ReadsB1 [B] -> C", "#3 ReadsB2 [B] -> D");
  }

  @Test
  void placesAPipeAfterItsLongestPathFromTheSources() {
    // #1 reads A and C; C is two pipes away from A, so #1 runs in stage 3.
    PipelineDeclare pipeline = pipeline(
        List.of(source("A"), memory("B"), memory("C"), sink("D")),
        List.of(pipe("Join", "D", "A", "C"), pipe("Step2", "C", "B"), pipe("Step1", "B", "A")));

    ExecutionPlan plan = Planner.plan(pipeline);

    assertThat(stageIndexes(plan)).containsExactly(List.of(3), List.of(2), List.of(1));
  }

  @Test
  void namedPipesAreDescribedWithTheirName() {
    PipelineDeclare pipeline = pipeline(List.of(source("A"), sink("B")),
        List.of(new TransformerDeclare("clean", List.of("A"), "Cleaner", "B", null)));

    assertThat(Planner.plan(pipeline).pipe(1).describe()).isEqualTo("#1 'clean' Cleaner [A] -> B");
  }

  @Test
  void reportsAThreePipeCycleWithItsPath() {
    PipelineReader.Result result = read("""
        {"data": [{"dataId": "A"}, {"dataId": "B"}, {"dataId": "C"}],
         "transformers": [
           {"inputDataId": ["C"], "transformerType": "T1", "outputDataId": "A"},
           {"inputDataId": ["A"], "transformerType": "T2", "outputDataId": "B"},
           {"inputDataId": ["B"], "transformerType": "T3", "outputDataId": "C"}]}
        """);

    assertThatThrownBy(() -> Planner.plan(result.pipeline(), result.sources()))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessage("Invalid pipeline plan.json (1 error):\n"
            + "plan.json:3:4: error: pipeline: circular dependency among 3 pipes: C -> #1 T1 -> A -> #2 T2 -> B -> #3 T3 -> C;"
            + " a pipe cannot depend on its own output, so break the cycle by changing one of these inputs")
        .satisfies(e -> assertThat(((InvalidPipelineException) e).errors()).hasSize(1));
  }

  @Test
  void reportsACycleWithoutSourcePositionsForPipelinesBuiltInCode() {
    PipelineDeclare pipeline = pipeline(List.of(source("S"), memory("A"), memory("B"), sink("Out")),
        List.of(pipe("Out", "Out", "B"), pipe("T2", "A", "S", "B"), pipe("T3", "B", "A")));

    assertThatThrownBy(() -> Planner.plan(pipeline))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("<code>: error: pipeline: circular dependency among 2 pipes: B -> #2 T2 -> A -> #3 T3 -> B;");
  }

  @Test
  void reportsEverySeparateCycle() {
    PipelineDeclare pipeline = pipeline(
        List.of(memory("A"), memory("B"), memory("X"), memory("Y"), memory("Z")),
        List.of(
            pipe("P1", "A", "B"), pipe("Q1", "X", "Z"), pipe("P2", "B", "A"),
            pipe("Q2", "Y", "X"), pipe("Q3", "Z", "Y")));

    InvalidPipelineException e = (InvalidPipelineException) org.assertj.core.api.Assertions.catchThrowable(
        () -> Planner.plan(pipeline));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(Problem::pointer, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("/transformers/0", "circular dependency among 2 pipes: B -> #1 P1 -> A -> #3 P2 -> B;"
            + " a pipe cannot depend on its own output, so break the cycle by changing one of these inputs"),
        org.assertj.core.groups.Tuple.tuple("/transformers/1", "circular dependency among 3 pipes: Z -> #2 Q1 -> X -> #4 Q2 -> Y -> #5 Q3 -> Z;"
            + " a pipe cannot depend on its own output, so break the cycle by changing one of these inputs"));
    assertThat(e).hasMessageStartingWith("Invalid pipeline <code> (2 errors):\n");
  }

  @Test
  void refusesAnInvalidStructureButNotWarnings() {
    PipelineDeclare broken = pipeline(List.of(source("A")), List.of(pipe("T", "Missing", "A")));
    assertThatThrownBy(() -> Planner.plan(broken))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("output 'Missing' is not declared");

    PipelineDeclare withWarnings = pipeline(List.of(source("A"), memory("Discarded"), source("Unused")),
        List.of(pipe("T", "Discarded", "A")));
    assertThat(Validator.structure(withWarnings)).isNotEmpty().noneMatch(Problem::isError);
    assertThat(stageIndexes(Planner.plan(withWarnings))).containsExactly(List.of(1));
  }

  @Test
  void theExceptionKeepsWarningsButListsOnlyErrors() {
    PipelineDeclare pipeline = pipeline(List.of(source("A"), source("Unused")), List.of(pipe("T", "Missing", "A")));

    InvalidPipelineException e = (InvalidPipelineException) org.assertj.core.api.Assertions.catchThrowable(
        () -> Planner.plan(pipeline));

    assertThat(e.problems()).extracting(Problem::message).containsExactly(
        "output 'Missing' is not declared; declare it under \"data\" or correct the id",
        "is a source that nothing reads; remove it or read it in a pipe");
    assertThat(e.errors()).hasSize(1);
    assertThat(e).hasMessage("Invalid pipeline <code> (1 error):\n<code>: error: pipe #1 T -> Missing:"
        + " output 'Missing' is not declared; declare it under \"data\" or correct the id");
    assertThat(e.sources().sourceName()).isEqualTo("<code>");
  }

  @Test
  void plansAnEmptyPipeline() {
    ExecutionPlan plan = Planner.plan(pipeline(List.of(), List.of()));

    assertThat(plan.stages()).isEmpty();
    assertThat(plan.order()).isEmpty();
  }

  @Test
  void isDeterministic() throws Exception {
    PipelineDeclare pipeline = quickstart();

    ExecutionPlan first = Planner.plan(pipeline);
    ExecutionPlan second = Planner.plan(pipeline);

    assertThat(second.stages()).isEqualTo(first.stages());
    assertThat(second.order()).isEqualTo(first.order());
    assertThat(stageIndexes(Planner.plan(quickstart()))).isEqualTo(stageIndexes(first));
  }

  @Test
  void plansATenThousandPipeChain() {
    int n = 10_000;
    List<DataDeclare> data = new ArrayList<>();
    List<TransformerDeclare> pipes = new ArrayList<>();
    data.add(source("D0"));
    for (int i = 1; i <= n; i++) {
      data.add(i == n ? sink("D" + i) : memory("D" + i));
      pipes.add(pipe("Step", "D" + i, "D" + (i - 1)));
    }
    PipelineDeclare pipeline = pipeline(data, pipes);

    long start = System.nanoTime();
    List<Problem> problems = Validator.structure(pipeline);
    ExecutionPlan plan = Planner.plan(pipeline);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("PlannerTest: validated and planned a " + n + "-pipe chain in " + millis + " ms");

    assertThat(problems).isEmpty();
    assertThat(plan.stages()).hasSize(n);
    assertThat(plan.pipe(n).stage()).isEqualTo(n);
    assertThat(plan.order().get(0).describe()).isEqualTo("#1 Step [D0] -> D1");
  }

  @Test
  void plansATenThousandPipeFanIn() {
    int n = 10_000;
    List<DataDeclare> data = new ArrayList<>();
    List<TransformerDeclare> pipes = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    data.add(source("Src"));
    for (int i = 1; i <= n; i++) {
      data.add(memory("Part" + i));
      pipes.add(pipe("Split", "Part" + i, "Src"));
      parts.add("Part" + i);
    }
    data.add(sink("All"));
    pipes.add(new TransformerDeclare(parts, "Union", "All"));
    PipelineDeclare pipeline = pipeline(data, pipes);

    long start = System.nanoTime();
    List<Problem> problems = Validator.structure(pipeline);
    ExecutionPlan plan = Planner.plan(pipeline);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("PlannerTest: validated and planned a " + n + "-pipe fan-in in " + millis + " ms");

    assertThat(problems).isEmpty();
    assertThat(plan.stages()).hasSize(2);
    assertThat(plan.stages().get(0).pipes()).hasSize(n);
    assertThat(plan.stages().get(1).pipes()).extracting(PlannedPipe::index).containsExactly(n + 1);
    assertThat(plan.readers("Src")).hasSize(n);
    assertThat(plan.graph().upstream(n + 1)).hasSize(n);
  }
}
