package io.ddp.studio;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.validate.Validator;
import io.ddp.spark.SparkPipe;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PipelineViewTest {
  private static final ClassLoader CL = PipelineViewTest.class.getClassLoader();
  private static final Validator VALIDATOR = Validator.withChecksFrom(SparkPipe.types(CL), CL);

  private static PipelineView view(String text) {
    return PipelineView.of(text, "/tmp/p.json", "/tmp", Map.of(), VALIDATOR);
  }

  @Test
  void aValidPipelineIsDrawnInStagesWithoutProblems() {
    PipelineView v = view("""
        {"name": "ok", "data": [
          {"dataId": "In", "location": "in.csv", "format": "csv", "schema": "a INT"},
          {"dataId": "Mid"},
          {"dataId": "Out", "location": "out", "format": "parquet"}],
         "transformers": [
          {"inputDataId": ["In"], "transformerType": "sql", "outputDataId": "Mid", "params": {"query": "SELECT a FROM In"}},
          {"name": "last", "inputDataId": ["Mid"], "transformerType": "sql", "outputDataId": "Out", "params": {"query": "SELECT a FROM Mid"}}]}
        """);
    assertThat(v.problems()).isEmpty();
    Map<String, PipelineView.Node> n = v.nodes().stream().collect(Collectors.toMap(PipelineView.Node::id, Function.identity()));
    assertThat(n.keySet()).containsExactlyInAnyOrder("In", "Mid", "Out", "#1", "#2");
    assertThat(n.get("In").layer()).isZero();
    assertThat(n.get("#1").layer()).isEqualTo(1);
    assertThat(n.get("Out").layer()).isEqualTo(4);
    assertThat(n.get("#2").label()).isEqualTo("#2 last");
    assertThat(n.get("#1").detail()).isEqualTo("sql");
    assertThat(n.get("In").detail()).isEqualTo("csv in.csv");
    assertThat(n.get("Mid").detail()).isEqualTo("in memory");
    assertThat(v.edges()).hasSize(4);
  }

  @Test
  void aBrokenPipelineIsStillDrawnWithEveryProblemOnItsNodeAndLine() {
    PipelineView v = view("""
        {"name": "broken", "data": [
          {"dataId": "A"},
          {"dataId": "B"}],
         "transformers": [
          {"inputDataId": ["A"], "transformerType": "sql", "outputDataId": "B", "params": {"query": "SELECT * FROM A"}},
          {"inputDataId": ["B"], "transformerType": "sql", "outputDataId": "A", "params": {"query": "SELECT * FROM B"}},
          {"inputDataId": ["Nowhere"], "transformerType": "Sqll", "outputDataId": "C"}]}
        """);
    Map<String, PipelineView.Node> n = v.nodes().stream().collect(Collectors.toMap(PipelineView.Node::id, Function.identity()));
    assertThat(n.get("Nowhere").kind()).isEqualTo("missing");
    assertThat(n.get("C").kind()).isEqualTo("missing");
    assertThat(n.get("#3").errors()).isPositive();
    assertThat(v.problems()).isNotEmpty();
    assertThat(v.problems()).anySatisfy(p -> {
      assertThat(p.node()).isEqualTo("#3");
      assertThat(p.line()).isEqualTo(7);
      assertThat(p.message()).contains("Sqll");
    });
    assertThat(v.problems()).anySatisfy(p -> assertThat(p.message()).containsIgnoringCase("cycle"));
    assertThat(v.problems()).allSatisfy(p -> assertThat(p.severity()).isIn("error", "warning"));
  }

  @Test
  void textThatIsNotJsonGivesOneProblemAndAnEmptyPicture() {
    PipelineView v = view("{\"data\": [");
    assertThat(v.nodes()).isEmpty();
    assertThat(v.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.severity()).isEqualTo("error"));
  }
}
