package io.ddp.core;

import static io.ddp.core.Hints.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.json.PipelineReader;
import io.ddp.core.pipe.Pipe;
import io.ddp.core.pipe.PipeContext;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeRegistration;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoaderTest {
  /** Takes any params, as the quickstart's pipes do. */
  public static final class Plain implements Pipe<String, ObjectNode, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, ObjectNode params, PipeContext context) {
      return inputs.all().get(0);
    }
  }

  private static final PipeTypes TYPES = PipeTypes.of(List.of(
          PipeRegistration.of("PreprocessTransformer", Plain.class),
          PipeRegistration.of("FeatureGenerationTransformer", Plain.class),
          PipeRegistration.of("ModelPredictionTransformer", Plain.class),
          PipeRegistration.of("PostProcessTransformer", Plain.class)),
      PipelineLoaderTest.class.getClassLoader(), Pipe.class);

  @TempDir
  Path dir;

  private final List<String> checked = new ArrayList<>();
  private final Validator validator = new Validator(TYPES, List.of((pipeline, problems) -> checked.add(pipeline.name())));

  private Path write(String name, String json) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  /** Problems as the CLI prints them, did-you-mean hints {@link Hints normalized}. */
  private static List<String> formatted(PipelineLoader.Loaded loaded) {
    return normalized(loaded.problems().stream().map(p -> p.format(loaded.sources())).toList());
  }

  @Test
  void loadsAndPlansTheQuickstart() throws Exception {
    Path file = Path.of(PipelineLoaderTest.class.getResource("/pipelines/quickstart.json").toURI());

    PipelineLoader.Loaded loaded = PipelineLoader.load(file, Map.of("out", "/tmp/ddp-out"), validator);

    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.hasErrors()).isFalse();
    assertThat(checked).containsExactly("quickstart");
    ExecutionPlan plan = loaded.plan();
    assertThat(plan.stages()).hasSize(3);
    assertThat(plan.data("OutputData").location()).isEqualTo("/tmp/ddp-out/scored_reviews");
  }

  @Test
  void reportsReadingAndValidationProblemsTogether() throws Exception {
    Path file = write("mixed.json", """
        {
          "data": [
            {"dataId": "InputData", "location": "in.csv", "formt": "csv"},
            {"dataId": "Out", "location": "out.parquet"}
          ],
          "transformers": [
            {"inputDataId": ["Inputdata"], "transformerType": "PreprocesTransformer", "outputDataId": "Out"}
          ]
        }
        """);

    PipelineLoader.Loaded loaded = PipelineLoader.load(file, Map.of(), validator);

    assertThat(loaded.hasErrors()).isTrue();
    assertThat(formatted(loaded)).containsExactlyElementsOf(normalized(List.of(
        file + ":3:51: error: dataset 'InputData': unknown key \"formt\" in a dataset declaration (did you mean 'format'?);"
            + " known keys: dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy, badRecords, quarantine, expectations, merge",
        file + ":7:22: error: pipe #1 PreprocesTransformer -> Out: input 'Inputdata' is not declared"
            + " (did you mean 'InputData'?); declare it under \"data\" or correct the id",
        file + ":3:5: warning: dataset 'InputData': is a source that nothing reads; remove it or read it in a pipe",
        file + ":7:36: error: pipe #1 PreprocesTransformer -> Out: unknown transformerType 'PreprocesTransformer'"
            + " (did you mean one of 'PreprocessTransformer', 'PostProcessTransformer'?); use a registered alias"
            + " (FeatureGenerationTransformer, ModelPredictionTransformer, PostProcessTransformer, PreprocessTransformer)"
            + " or a fully qualified class name")));
    assertThat(loaded.errors()).hasSize(3);
    assertThat(loaded.warnings()).extracting(Problem::message)
        .containsExactly("is a source that nothing reads; remove it or read it in a pipe");
    assertThatThrownBy(loaded::plan)
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageStartingWith("Invalid pipeline " + file + " (3 errors):\n" + file + ":3:51: error: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("warning"));
  }

  @Test
  void skipsSemanticValidationWhenTheFileCouldNotBeReadWhole() throws Exception {
    Path file = write("incomplete.json", """
        {
          "data": [
            {"location": "in.csv"},
            {"dataId": "Out", "location": "out.parquet"}
          ],
          "transformers": [
            {"inputDataId": ["InputData"], "transformerType": "Nope", "outputDataId": "Out"}
          ]
        }
        """);
    PipelineReader.Result read = PipelineReader.read(file, Map.of());
    assertThat(read.complete()).isFalse();

    PipelineLoader.Loaded loaded = PipelineLoader.validate(read, validator);

    assertThat(formatted(loaded)).containsExactly(
        file + ":3:5: error: data[0]: \"dataId\" is required; give every dataset an id, e.g. \"dataId\": \"Reviews\"");
    assertThat(checked).as("no check ran").isEmpty();
    assertThat(loaded.pipeline().transformers()).hasSize(1);
  }

  @Test
  void reportsAFileThatIsNotJson() throws Exception {
    Path file = write("broken.json", "{\"data\": [\n");

    PipelineLoader.Loaded loaded = PipelineLoader.load(file, Map.of(), validator);

    assertThat(loaded.pipeline()).isNull();
    assertThat(loaded.hasErrors()).isTrue();
    assertThat(formatted(loaded)).singleElement().satisfies(f -> assertThat(f)
        .startsWith(file + ":2:1: error: pipeline: invalid JSON: Unexpected end-of-input"));
    assertThat(checked).isEmpty();
    assertThatThrownBy(loaded::plan).isInstanceOf(InvalidPipelineException.class)
        .hasMessageStartingWith("Invalid pipeline " + file + " (1 error):");
  }

  @Test
  void keepsWarningsOfAPlannablePipeline() throws Exception {
    Path file = write("warn.json", """
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}, {"dataId": "Spare", "location": "s.csv"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "PreprocessTransformer", "outputDataId": "B"}]}
        """);

    PipelineLoader.Loaded loaded = PipelineLoader.load(file, Map.of(), validator);

    assertThat(loaded.hasErrors()).isFalse();
    assertThat(formatted(loaded)).containsExactly(
        file + ":1:91: warning: dataset 'Spare': is a source that nothing reads; remove it or read it in a pipe");
    assertThat(loaded.plan().order()).hasSize(1);
  }

  @Test
  void doesNotRepeatAProblemFoundByBothReaderAndValidator() {
    PipelineReader.Result read = PipelineReader.read("{\"data\": [], \"transformers\": []}", "x.json", "x", Map.of(), n -> null);
    Problem same = Problem.warning("", "pipeline", "reported twice");
    Validator echoing = new Validator(null, List.of((pipeline, problems) -> {
      problems.add(same);
      problems.add(same);
    }));
    PipelineReader.Result withProblem = new PipelineReader.Result(read.pipeline(), read.sources(), List.of(same), true);

    PipelineLoader.Loaded loaded = PipelineLoader.validate(withProblem, echoing);

    assertThat(loaded.problems()).containsExactly(same);
  }

  @Test
  void aDataBlockThatIsNotAListSkipsSemanticValidation() throws Exception {
    Path file = write("object-data.json", """
        {"data": {"dataId": "A", "location": "a.csv"},
         "transformers": [{"inputDataId": ["A"], "transformerType": "PreprocessTransformer", "outputDataId": "A2"}]}
        """);

    PipelineLoader.Loaded loaded = PipelineLoader.load(file, Map.of(), validator);

    assertThat(loaded.problems()).extracting(Problem::message)
        .containsExactly("\"data\" must be a list [...], not an object");
  }

  @Test
  void aValueTheReaderRejectedIsNotReportedAgainByTheValidator() throws Exception {
    Path file = write("typed.json", """
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": 3, "transformerType": "PreprocessTransformer", "outputDataId": "B"}]}
        """);

    PipelineLoader.Loaded loaded = PipelineLoader.load(file, Map.of(), validator);

    assertThat(loaded.errors()).extracting(Problem::message)
        .containsExactly("\"inputDataId\" must be a list of strings [\"...\"], not the number 3");
  }
}
