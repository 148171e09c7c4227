package io.ddp.core.json;

import static io.ddp.core.Hints.normalized;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.validate.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ${...}} substitution, exercised through {@link PipelineReader} as users meet it. */
class VariablesTest {
  private static final Function<String, String> NO_ENV = name -> null;

  private static PipelineReader.Result read(String json, Map<String, String> overrides, Function<String, String> env) {
    return PipelineReader.read(json, "vars.json", "vars", overrides, env);
  }

  private static PipelineReader.Result read(String json) {
    return read(json, Map.of(), NO_ENV);
  }

  /** A pipeline with the given variables block and one dataset located at {@code location}. */
  private static String located(String variables, String location) {
    return "{\"variables\": " + variables + ", \"data\": [{\"dataId\": \"A\", \"location\": \"" + location
        + "\", \"format\": \"csv\"}], \"transformers\": []}";
  }

  private static String location(PipelineReader.Result result) {
    return result.pipeline().dataset("A").map(DataDeclare::location).orElseThrow();
  }

  private static List<String> formatted(PipelineReader.Result result) {
    return normalized(result.problems().stream().map(p -> p.format(result.sources())).toList());
  }

  private static List<String> messages(PipelineReader.Result result) {
    return normalized(result.problems().stream().map(Problem::message).toList());
  }

  @Test
  void substitutesDeclaredVariables() {
    PipelineReader.Result result = read(located("{\"dir\": \"/data\", \"file\": \"in.csv\"}", "${dir}/x/${file}"));

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/data/x/in.csv");
    assertThat(result.pipeline().variables()).containsExactly(Map.entry("dir", "/data"), Map.entry("file", "in.csv"));
  }

  @Test
  void aCommandLineValueWinsOverTheDeclaredOne() {
    PipelineReader.Result result = read(located("{\"dir\": \"/data\"}", "${dir}/in.csv"),
        Map.of("dir", "/override", "extra", "1"), NO_ENV);

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/override/in.csv");
    assertThat(result.pipeline().variables()).containsEntry("dir", "/override").containsEntry("extra", "1");
  }

  @Test
  void aCommandLineValueNeedsNoDeclarationAndIsTakenLiterally() {
    PipelineReader.Result result = read(located("{}", "${dir}/in.csv"), Map.of("dir", "/x/${notAVariable}"), NO_ENV);

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/x/${notAVariable}/in.csv");
  }

  @Test
  void readsTheEnvironmentThroughTheEnvFunction() {
    Map<String, String> env = Map.of("DATA_HOME", "/mnt/data");
    PipelineReader.Result result = read(located("{}", "${env:DATA_HOME}/in.csv"), Map.of(), env::get);

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/mnt/data/in.csv");
  }

  @Test
  void reportsAnUnsetEnvironmentVariable() {
    PipelineReader.Result result = read(located("{}", "${env:DATA_HOME}/in.csv"));

    assertThat(formatted(result)).containsExactly("vars.json:1:44: error: variables: environment variable DATA_HOME used as"
        + " ${env:DATA_HOME} is not set; export it, or give a fallback: ${env:DATA_HOME:-value}");
  }

  @Test
  void usesFallbacksOnlyWhenUndefined() {
    PipelineReader.Result undefined = read(located("{}", "${dir:-/tmp}/${env:SUB:-fallback}.csv"));
    assertThat(undefined.problems()).isEmpty();
    assertThat(location(undefined)).isEqualTo("/tmp/fallback.csv");

    PipelineReader.Result defined = read(located("{\"dir\": \"/data\"}", "${dir:-/tmp}/${env:SUB:-fallback}.csv"),
        Map.of(), Map.of("SUB", "set")::get);
    assertThat(defined.problems()).isEmpty();
    assertThat(location(defined)).isEqualTo("/data/set.csv");
  }

  @Test
  void anEmptyFallbackIsAllowed() {
    PipelineReader.Result result = read(located("{}", "in${suffix:-}.csv"));

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("in.csv");
  }

  @Test
  void aFallbackMayReferToAnotherVariable() {
    PipelineReader.Result result = read(located("{\"base\": \"/data\"}", "${dir:-${base}}/in.csv"));

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/data/in.csv");
  }

  @Test
  void doubleDollarIsALiteral() {
    PipelineReader.Result result = read(located("{}", "s3://b/$${undefined}/$x/$/in.csv"));

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("s3://b/${undefined}/$x/$/in.csv");
  }

  @Test
  void aDeclaredValueMayHoldALiteral() {
    PipelineReader.Result result = read(located("{\"tpl\": \"$${date}\"}", "out/${tpl}.csv"));

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("out/${date}.csv");
    assertThat(result.pipeline().variables()).containsEntry("tpl", "${date}");
  }

  @Test
  void substitutesInParamsSparkConfAndOptions() {
    PipelineReader.Result result = read("""
        {"variables": {"dir": "/data", "parts": "8"},
         "spark": {"spark.sql.shuffle.partitions": "${parts}", "spark.local.dir": "${dir}/tmp"},
         "data": [{"dataId": "A", "location": "${dir}/a.csv", "options": {"path": "${dir}/opt", "header": true}},
                  {"dataId": "B"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "T", "outputDataId": "B",
                           "params": {"model": "${dir}/model.onnx", "files": ["${dir}/1", 2], "nested": {"x": "${parts}"}}}]}
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.pipeline().spark())
        .containsEntry("spark.sql.shuffle.partitions", "8")
        .containsEntry("spark.local.dir", "/data/tmp");
    assertThat(result.pipeline().dataset("A").orElseThrow().options())
        .containsEntry("path", "/data/opt")
        .containsEntry("header", "true");
    var params = result.pipeline().transformer(1).params();
    assertThat(params.get("model").asText()).isEqualTo("/data/model.onnx");
    assertThat(params.get("files").get(0).asText()).isEqualTo("/data/1");
    assertThat(params.get("files").get(1).asInt()).isEqualTo(2);
    assertThat(params.get("nested").get("x").asText()).isEqualTo("8");
  }

  @Test
  void reportsAnUndefinedVariableWithPositionAndSuggestion() {
    PipelineReader.Result result = read("""
        {
          "variables": {"inputDir": "/data"},
          "data": [
            {"dataId": "A", "format": "csv",
             "location": "${inputdir}/in.csv"}
          ],
          "transformers": []
        }
        """);

    assertThat(formatted(result)).containsExactly(normalized(
        "vars.json:5:6: error: variables: variable ${inputdir} is not defined (did you mean 'inputDir'?);"
            + " declare it under \"variables\" or pass --var inputdir=VALUE"));
    assertThat(result.problems().get(0).pointer()).isEqualTo("/data/0/location");
    assertThat(location(result)).isEqualTo("/in.csv");
  }

  @Test
  void suggestsCommandLineVariablesToo() {
    PipelineReader.Result result = read(located("{}", "${outDir}/in.csv"), Map.of("outdirs", "/o"), NO_ENV);

    assertThat(messages(result)).singleElement()
        .satisfies(m -> assertThat(m).startsWith(normalized("variable ${outDir} is not defined (did you mean 'outdirs'?)")));
  }

  @Test
  void aVariableMayReferToOthersInAnyOrder() {
    PipelineReader.Result result = read(located(
        "{\"input\": \"${base}/in.csv\", \"base\": \"${root}/data\", \"root\": \"/mnt\"}", "${input}"));

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/mnt/data/in.csv");
    assertThat(result.pipeline().variables()).containsExactly(
        Map.entry("input", "/mnt/data/in.csv"), Map.entry("base", "/mnt/data"), Map.entry("root", "/mnt"));
  }

  @Test
  void anOverrideChangesVariablesThatUseIt() {
    PipelineReader.Result result = read(located("{\"input\": \"${base}/in.csv\", \"base\": \"/data\"}", "${input}"),
        Map.of("base", "/other"), NO_ENV);

    assertThat(location(result)).isEqualTo("/other/in.csv");
  }

  @Test
  void reportsACycleWithItsPath() {
    PipelineReader.Result result = read("""
        {
          "variables": {
            "a": "${b}/x",
            "b": "${a}/y"
          },
          "data": [{"dataId": "A", "format": "csv", "location": "${a}"}],
          "transformers": []
        }
        """);

    assertThat(formatted(result)).containsExactly(
        "vars.json:3:5: error: variables: variable ${a} refers to itself: a -> b -> a; make one of them a plain value");
  }

  @Test
  void reportsASelfReference() {
    PipelineReader.Result result = read(located("{\"a\": \"${a}\"}", "${a}/in.csv"));

    assertThat(messages(result)).containsExactly("variable ${a} refers to itself: a -> a; make one of them a plain value");
  }

  @Test
  void reportsAnUnterminatedReference() {
    PipelineReader.Result result = read(located("{\"dir\": \"/d\"}", "${dir/in.csv"));

    assertThat(formatted(result)).containsExactly("vars.json:1:55: error: variables: unterminated variable reference in"
        + " \"${dir/in.csv\": add the closing '}' (write $${ for a literal ${)");
    assertThat(location(result)).as("left as written").isEqualTo("${dir/in.csv");
  }

  @Test
  void reportsInvalidReferences() {
    PipelineReader.Result result = read(located("{}", "${1dir}/${env:BAD NAME}/${}"));

    assertThat(messages(result)).containsExactly(
        "invalid reference ${1dir} in \"${1dir}/${env:BAD NAME}/${}\": a variable name has letters, digits, '_', '.' and '-'"
            + " and starts with a letter or '_'",
        "invalid reference ${env:BAD NAME} in \"${1dir}/${env:BAD NAME}/${}\": an environment variable name has letters,"
            + " digits and '_'",
        "invalid reference ${} in \"${1dir}/${env:BAD NAME}/${}\": a variable name has letters, digits, '_', '.' and '-'"
            + " and starts with a letter or '_'");
  }

  @Test
  void reportsAnUndefinedVariableInsideAVariable() {
    PipelineReader.Result result = read(located("{\"in\": \"${rot}/in.csv\", \"root\": \"/r\"}", "${in}"));

    assertThat(formatted(result)).containsExactly(normalized("vars.json:1:16: error: variables: variable ${rot} is not defined"
        + " (did you mean 'root'?); declare it under \"variables\" or pass --var rot=VALUE"));
  }

  @Test
  void variablesMustBeAnObjectOfScalars() {
    PipelineReader.Result result = read(located("{\"n\": 3, \"flag\": true, \"deep\": {\"x\": 1}}", "${n}-${flag}.csv"));

    assertThat(messages(result)).containsExactly("\"variables\".deep must be a string, number or boolean, not an object");
    assertThat(location(result)).isEqualTo("3-true.csv");
  }

  @Test
  void pipelineDirIsUnknownWhenReadingText() {
    PipelineReader.Result result = read(located("{}", "${pipeline.dir}/in.csv"));

    assertThat(messages(result)).singleElement()
        .satisfies(m -> assertThat(m).startsWith("variable ${pipeline.dir} is not defined"));
  }

  @Test
  void aDeclaredPipelineDirWinsOverTheBuiltIn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(file, located("{\"pipeline.dir\": \"/declared\"}", "${pipeline.dir}/in.csv"), StandardCharsets.UTF_8);

    PipelineReader.Result result = PipelineReader.read(file, Map.of());

    assertThat(result.problems()).isEmpty();
    assertThat(location(result)).isEqualTo("/declared/in.csv");
  }

  @Test
  void keysAreNotSubstituted() {
    PipelineReader.Result result = read("""
        {"variables": {"k": "v"},
         "data": [{"dataId": "A", "location": "a.csv", "options": {"${k}": "${k}"}}],
         "transformers": []}
        """);

    assertThat(result.pipeline().dataset("A").orElseThrow().options()).containsExactly(Map.entry("${k}", "v"));
  }
}
