package io.ddp.spark;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.spark.cli.DdpCommandTest;
import io.ddp.spark.pipes.BuiltinPipes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The catalog: every pipe's params as JSON Schema and its contract; the pipeline schema generated from it. */
class PipeCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** docs/pipeline.schema.json, from this module's directory. */
  private static final Path DOCS_SCHEMA = Path.of("..", "docs", "pipeline.schema.json");

  private static PipeCatalog builtins() {
    return new PipeCatalog(PipeTypes.of(new BuiltinPipes().pipes(), PipeCatalogTest.class.getClassLoader(), SparkPipe.class));
  }

  @Test
  void theBuiltInPipesStateTheirParamsAndContracts() throws Exception {
    JsonNode catalog = JSON.readTree(JSON.writeValueAsString(builtins().toJson()));

    assertThat(catalog.get("pipes")).hasSize(2);
    assertThat(catalog.get("pipes").get(1)).isEqualTo(JSON.readTree("""
        {"type": "sql", "class": "io.ddp.spark.pipes.SqlPipe", "description": "Runs params.query with every input visible by its dataId",
         "params": {"type": "object",
           "properties": {"query": {"type": "string",
             "description": "One Spark SQL query (SELECT, WITH ... SELECT, VALUES, TABLE); each input is visible by its dataId"}},
           "required": ["query"], "additionalProperties": false},
         "contract": {"checksParams": "true", "requiredColumns": "not stated", "outputSchema": "stated"}}"""));

    JsonNode onnx = catalog.get("pipes").get(0);
    assertThat(onnx.get("type").asText()).isEqualTo("OnnxModel");
    assertThat(onnx.get("contract")).isEqualTo(JSON.readTree(
        "{\"checksParams\": \"true\", \"requiredColumns\": \"stated\", \"outputSchema\": \"stated\"}"));
    JsonNode params = onnx.get("params");
    assertThat(params.get("required")).isEqualTo(JSON.readTree("[\"model\", \"inputs\", \"outputs\"]"));
    assertThat(params.get("properties").fieldNames()).toIterable()
        .containsExactly("model", "sha256", "tokenizer", "textColumn", "maxLength", "inputs", "outputs", "batchSize", "intraOpThreads");
    assertThat(params.at("/properties/maxLength")).isEqualTo(JSON.readTree(
        "{\"type\": \"integer\", \"description\": \"Tokens per text after truncation\", \"default\": 128}"));
    assertThat(params.at("/properties/inputs/additionalProperties")).isEqualTo(JSON.readTree("{\"type\": \"string\"}"));
    JsonNode output = params.at("/properties/outputs/additionalProperties");
    assertThat(output.get("required")).isEqualTo(JSON.readTree("[\"column\"]"));
    assertThat(output.at("/properties/pooling/default").asText()).isEqualTo("none");
    assertThat(output.at("/properties/normalize/type").asText()).isEqualTo("boolean");
    assertThat(output.get("additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void pipesAndDescribeOnTheCommandLine() throws Exception {
    DdpCommandTest.Outcome json = ddp("pipes", "--json");
    assertThat(json.code()).isZero();
    JsonNode pipes = JSON.readTree(json.out()).get("pipes");
    assertThat(pipes.findValuesAsText("type")).contains("sql", "OnnxModel", "Upper", "Flaky");
    JsonNode flaky = pipes.findParents("type").stream().filter(p -> p.get("type").asText().equals("Flaky")).findFirst().orElseThrow();
    assertThat(flaky.at("/contract/outputSchema").asText())
        .isEqualTo("not derived: records its applications and fails on demand in apply");
    assertThat(flaky.get("params")).isEqualTo(JSON.readTree("{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}"));

    DdpCommandTest.Outcome sql = ddp("describe", "sql");
    assertThat(sql.code()).isZero();
    assertThat(sql.out()).isEqualTo(String.join(System.lineSeparator(),
        "sql (io.ddp.spark.pipes.SqlPipe)",
        "  Runs params.query with every input visible by its dataId",
        "params:",
        "  query: string, required - One Spark SQL query (SELECT, WITH ... SELECT, VALUES, TABLE); each input is visible by its dataId",
        "contract:",
        "  checksParams: true",
        "  requiredColumns: not stated",
        "  outputSchema: stated", ""));

    DdpCommandTest.Outcome byClass = ddp("describe", "io.ddp.spark.fixtures.ContractPipes$TextLength");
    assertThat(byClass.out()).contains("params:\n  column: string, optional").contains("requiredColumns: stated");

    DdpCommandTest.Outcome typo = ddp("describe", "OnnxModle");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).startsWith("ddp describe: ").contains("OnnxModel");
  }

  /** docs/pipeline.schema.json is generated: the base schema plus the built-in pipes' params. */
  @Test
  void theDocumentedPipelineSchemaIsTheGeneratedOne() throws Exception {
    String generated = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(builtins().pipelineSchema()) + "\n";
    if (Boolean.getBoolean("ddp.writeSchema")) {
      Files.writeString(DOCS_SCHEMA, generated);
    }
    assertThat(Files.readString(DOCS_SCHEMA))
        .as("docs/pipeline.schema.json is out of date; regenerate it with: mvn -pl ddp-spark test -Dtest=PipeCatalogTest"
            + " -Dddp.writeSchema=true")
        .isEqualTo(generated);
    JsonNode rules = builtins().pipelineSchema().at("/$defs/transformer/allOf");
    assertThat(rules).hasSize(2);
    assertThat(rules.get(1).at("/if/properties/transformerType/enum")).isEqualTo(JSON.readTree("[\"sql\", \"io.ddp.spark.pipes.SqlPipe\"]"));
    assertThat(rules.get(0).at("/then/properties/params/properties/batchSize/type"))
        .as("a number may be a ${variable}").isEqualTo(JSON.readTree("[\"integer\", \"string\"]"));
  }
}
