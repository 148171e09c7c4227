package io.ddp.core.json;

import static io.ddp.core.Hints.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.EncryptionMode;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Severity;
import io.ddp.core.validate.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineReaderTest {
  static final Function<String, String> NO_ENV = name -> null;

  static PipelineReader.Result read(String json) {
    return PipelineReader.read(json, "p.json", "fallbackName", Map.of(), NO_ENV);
  }

  /** Every problem as the CLI prints it: {@code p.json:3:29: error: subject: message}. */
  static List<String> formatted(PipelineReader.Result result) {
    return normalized(result.problems().stream().map(p -> p.format(result.sources())).toList());
  }

  /** The messages, with did-you-mean hints {@link io.ddp.core.Hints normalized}. */
  static List<String> messages(PipelineReader.Result result) {
    return normalized(result.problems().stream().map(Problem::message).toList());
  }

  /** A minimal valid pipeline around one dataset declaration (given as JSON object text). */
  static String withDataset(String dataset) {
    return "{\"data\": [" + dataset + "], \"transformers\": []}";
  }

  static DataDeclare onlyDataset(PipelineReader.Result result) {
    assertThat(result.pipeline().data()).hasSize(1);
    return result.pipeline().data().get(0);
  }

  @Test
  void readsThePapersExample() {
    PipelineReader.Result result = read("""
        {
          "data": [
            {"dataId": "InputData", "location": "in/reviews.csv"},
            {"dataId": "IntermediateData"}
          ],
          "transformers": [
            {"inputDataId": ["InputData"], "transformerType": "PreprocessTransformer", "outputDataId": "IntermediateData"}
          ]
        }
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.complete()).isTrue();
    assertThat(result.hasErrors()).isFalse();
    PipelineDeclare pipeline = result.orThrow();
    assertThat(pipeline.name()).isEqualTo("fallbackName");
    assertThat(pipeline.transformers()).hasSize(1);
    TransformerDeclare t = pipeline.transformer(1);
    assertThat(t.inputDataId()).containsExactly("InputData");
    assertThat(t.transformerType()).isEqualTo("PreprocessTransformer");
    assertThat(t.outputDataId()).isEqualTo("IntermediateData");
    assertThat(t.name()).isNull();
    assertThat(t.params().isEmpty()).isTrue();
    assertThat(t.label(1)).isEqualTo("#1 PreprocessTransformer -> IntermediateData");

    DataDeclare input = pipeline.dataset("InputData").orElseThrow();
    assertThat(input.location()).isEqualTo("in/reviews.csv");
    assertThat(input.format()).as("inferred from .csv").isEqualTo("csv");
    assertThat(input.mode()).isEqualTo(WriteMode.ERROR_IF_EXISTS);
    DataDeclare intermediate = pipeline.dataset("IntermediateData").orElseThrow();
    assertThat(intermediate.hasLocation()).isFalse();
    assertThat(intermediate.format()).isNull();
    assertThat(pipeline.metrics()).isEmpty();
  }

  @Test
  void acceptsASingleStringAsShorthandForOneInput() {
    PipelineReader.Result result = read("""
        {"data": [{"dataId": "InputData", "location": "a.csv"}, {"dataId": "Out"}],
         "transformers": [{"inputDataId": "InputData", "transformerType": "T", "outputDataId": "Out"}]}
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.pipeline().transformer(1).inputDataId()).containsExactly("InputData");
  }

  @Test
  void keepsTheDeclaredNameAndPositionsOfTransformers() {
    PipelineReader.Result result = read("""
        {"name": "reviews", "description": "demo",
         "data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B"}],
         "transformers": [{"name": "prep", "inputDataId": ["A"], "transformerType": "T", "outputDataId": "B"}]}
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.pipeline().name()).isEqualTo("reviews");
    assertThat(result.pipeline().transformer(1).name()).isEqualTo("prep");
    assertThat(result.pipeline().transformer(1).label(1)).isEqualTo("#1 'prep' (T -> B)");
    assertThat(result.sources().describe("/transformers/0/inputDataId")).isEqualTo("p.json:3:36");
  }

  @Test
  void reportsAMisspelledKeyWithPositionAndSuggestion() {
    PipelineReader.Result result = read("""
        {
          "data": [
            {"dataId": "InputData", "locaton": "in.csv"}
          ],
          "transformers": []
        }
        """);

    assertThat(formatted(result)).containsExactly(normalized(
        "p.json:3:29: error: dataset 'InputData': unknown key \"locaton\" in a dataset declaration (did you mean 'location'?);"
            + " known keys: dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy, badRecords, quarantine, expectations, merge"));
    Problem problem = result.problems().get(0);
    assertThat(problem.severity()).isEqualTo(Severity.ERROR);
    assertThat(problem.pointer()).isEqualTo("/data/0/locaton");
    assertThat(result.sources().find("/data/0/locaton")).contains(new SourcePosition(3, 29));
    // The dataset is still read, without the misspelled key.
    assertThat(result.complete()).isTrue();
    assertThat(onlyDataset(result).location()).isNull();
  }

  @Test
  void reportsAnUnknownTopLevelKey() {
    PipelineReader.Result result = read("""
        {
          "data": [],
          "transfomers": []
        }
        """);

    assertThat(formatted(result)).contains(normalized(
        "p.json:3:3: error: pipeline: unknown key \"transfomers\" in the pipeline (did you mean 'transformers'?);"
            + " known keys: name, description, variables, spark, data, transformers, metrics, metricsConfig"));
    assertThat(messages(result)).anySatisfy(m -> assertThat(m).startsWith("\"transformers\" is missing; declare the pipes"));
  }

  @Test
  void reportsMissingDataAndTransformers() {
    PipelineReader.Result result = read("{\"name\": \"x\"}");

    assertThat(messages(result)).containsExactly(
        "\"data\" is missing; declare the datasets as \"data\": [{\"dataId\": ...}]",
        "\"transformers\" is missing; declare the pipes as \"transformers\": [{\"inputDataId\": ...}]");
    assertThat(formatted(result)).allSatisfy(f -> assertThat(f).startsWith("p.json:1:1: error: pipeline: "));
  }

  @Test
  void reportsASyntaxErrorWithLineAndColumn() {
    PipelineReader.Result result = read("""
        {
          "data": [
            {"dataId": "A",, }
          ]
        }
        """);

    assertThat(result.pipeline()).isNull();
    assertThat(result.complete()).isFalse();
    assertThat(result.hasErrors()).isTrue();
    assertThat(formatted(result)).singleElement().satisfies(f -> assertThat(f)
        .startsWith("p.json:3:20: error: pipeline: invalid JSON: Unexpected character (',' (code 44))"));
    assertThatThrownBy(result::orThrow)
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageStartingWith("Invalid pipeline p.json (1 error):\np.json:3:20: error: pipeline: invalid JSON");
  }

  @Test
  void reportsAnUnexpectedEndOfInput() {
    PipelineReader.Result result = read("{\n  \"data\": [\n");

    assertThat(result.pipeline()).isNull();
    assertThat(formatted(result)).singleElement().satisfies(f -> assertThat(f)
        .startsWith("p.json:3:1: error: pipeline: invalid JSON: Unexpected end-of-input"));
  }

  @Test
  void reportsAnEmptyFile() {
    for (String empty : List.of("", "  \n\t\n")) {
      PipelineReader.Result result = read(empty);

      assertThat(result.pipeline()).isNull();
      assertThat(result.complete()).isFalse();
      assertThat(formatted(result)).containsExactly(
          "p.json:1:1: error: pipeline: the file is empty; a pipeline is a JSON object with \"data\" and \"transformers\"");
    }
  }

  @Test
  void reportsContentAfterThePipelineObject() {
    PipelineReader.Result result = read("{\"data\": [], \"transformers\": []}\n  {}\n");

    assertThat(result.pipeline()).isNull();
    assertThat(formatted(result)).containsExactly(
        "p.json:2:3: error: pipeline: unexpected content after the end of the pipeline object; remove it");
  }

  @Test
  void reportsTrailingGarbageAsInvalidJson() {
    PipelineReader.Result result = read("{\"data\": [], \"transformers\": []}\nx");

    assertThat(result.pipeline()).isNull();
    assertThat(formatted(result)).singleElement().satisfies(f -> assertThat(f)
        .startsWith("p.json:2:1: error: pipeline: invalid JSON: Unrecognized token 'x'"));
  }

  @Test
  void reportsADuplicateKeyAtItsSecondOccurrenceAndKeepsTheFirst() {
    PipelineReader.Result result = read("""
        {
          "name": "first",
          "data": [{"dataId": "A", "location": "a.csv", "location": "b.csv"}],
          "transformers": [],
          "name": "second"
        }
        """);

    assertThat(formatted(result)).containsExactlyInAnyOrder(
        "p.json:3:49: error: pipeline: key \"location\" appears twice in the same object (at /data/0); keep one",
        "p.json:5:3: error: pipeline: key \"name\" appears twice in the same object (at the top level); keep one");
    assertThat(result.pipeline().name()).isEqualTo("first");
    assertThat(onlyDataset(result).location()).isEqualTo("a.csv");
  }

  @Test
  void reportsAPipelineThatIsNotAnObject() {
    PipelineReader.Result result = read("[]");

    assertThat(result.complete()).isFalse();
    assertThat(result.pipeline().name()).isEqualTo("fallbackName");
    assertThat(formatted(result)).containsExactly(
        "p.json:1:1: error: pipeline: the pipeline must be a JSON object {...}, not a list");
  }

  @Nested
  class WrongTypes {
    @Test
    void dataMustBeAList() {
      PipelineReader.Result result = read("""
          {"data": {"dataId": "A"},
           "transformers": []}
          """);

      assertThat(formatted(result)).containsExactly(
          "p.json:1:2: error: pipeline: \"data\" must be a list [...], not an object");
      assertThat(result.pipeline().data()).isEmpty();
    }

    @Test
    void transformersAndMetricsMustBeLists() {
      PipelineReader.Result result = read("{\"data\": [], \"transformers\": \"T\", \"metrics\": 3}");

      assertThat(messages(result)).containsExactly(
          "\"transformers\" must be a list [...], not the string \"T\"",
          "\"metrics\" must be a list [...], not the number 3");
    }

    @Test
    void optionsMustNotNestObjectsOrLists() {
      PipelineReader.Result result = read(withDataset("""
          {"dataId": "A", "location": "a.csv",
           "options": {"header": "true", "nested": {"x": 1}, "list": [1], "none": null}}"""));

      assertThat(formatted(result)).containsExactly(
          "p.json:2:32: error: dataset 'A': \"options\".nested must be a string, number or boolean, not an object",
          "p.json:2:52: error: dataset 'A': \"options\".list must be a string, number or boolean, not a list",
          "p.json:2:65: error: dataset 'A': \"options\".none must be a string, number or boolean, not null");
      assertThat(onlyDataset(result).options()).containsExactly(Map.entry("header", "true"));
    }

    @Test
    void inputDataIdMustBeAListOfStrings() {
      PipelineReader.Result result = read("""
          {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B"}],
           "transformers": [
             {"inputDataId": 3, "transformerType": "T", "outputDataId": "B"},
             {"inputDataId": ["A", 7], "transformerType": "T", "outputDataId": "B"}
           ]}
          """);

      assertThat(formatted(result)).contains(
          "p.json:3:5: error: pipe #1 T -> B: \"inputDataId\" must be a list of strings [\"...\"], not the number 3",
          "p.json:4:26: error: pipe #2 T -> B: \"inputDataId\"[1] must be a string, not the number 7");
      assertThat(result.pipeline().transformer(2).inputDataId()).containsExactly("A");
    }

    @Test
    void aMistypedInputDataIdIsNotAlsoReportedAsMissing() {
      PipelineReader.Result result = read("""
          {"data": [{"dataId": "B"}],
           "transformers": [{"inputDataId": 3, "transformerType": "T", "outputDataId": "B"}]}
          """);

      assertThat(messages(result)).containsExactly(
          "\"inputDataId\" must be a list of strings [\"...\"], not the number 3");
    }

    @Test
    void scalarsMustBeStrings() {
      PipelineReader.Result result = read("""
          {"name": 5, "description": ["d"],
           "data": [{"dataId": "A", "location": true, "schema": 1, "partitionBy": [1]}],
           "transformers": [{"inputDataId": ["A"], "transformerType": "T", "outputDataId": "B", "params": [1]}]}
          """);

      assertThat(messages(result)).contains(
          "\"name\" must be a string, not the number 5",
          "\"description\" must be a string, not a list",
          "\"location\" must be a string, not true",
          "\"schema\" must be a string, not the number 1",
          "\"partitionBy\"[0] must be a string, not the number 1",
          "\"params\" must be a JSON object {...}, not a list");
      assertThat(formatted(result)).contains(
          "p.json:3:87: error: pipe #1 T -> B: \"params\" must be a JSON object {...}, not a list");
    }

    @Test
    void aDatasetThatIsNotAnObjectIsReportedAndMakesTheResultIncomplete() {
      PipelineReader.Result result = read("{\"data\": [\"A\", {\"dataId\": \"B\"}], \"transformers\": []}");

      assertThat(formatted(result)).containsExactly(
          "p.json:1:11: error: data[0]: a dataset declaration must be a JSON object {...}, not the string \"A\"");
      assertThat(result.complete()).isFalse();
      assertThat(result.pipeline().data()).extracting(DataDeclare::dataId).containsExactly("B");
    }
  }

  @Nested
  class Modes {
    @Test
    void reportsAnInvalidModeWithSuggestion() {
      PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"a.parquet\", \"mode\": \"overwirte\"}"));

      assertThat(formatted(result)).containsExactly(normalized(
          "p.json:1:52: error: dataset 'A': invalid mode \"overwirte\" (did you mean 'overwrite'?);"
              + " use one of overwrite, append, errorIfExists, ignore, merge"));
      assertThat(onlyDataset(result).mode()).as("falls back to the default").isEqualTo(WriteMode.ERROR_IF_EXISTS);
    }

    @ParameterizedTest
    @CsvSource({"OVERWRITE, OVERWRITE", "overwrite, OVERWRITE", "Append, APPEND", "errorifexists, ERROR_IF_EXISTS",
        "errorIfExists, ERROR_IF_EXISTS", "IGNORE, IGNORE"})
    void readsModesIgnoringCase(String text, WriteMode expected) {
      PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"a.parquet\", \"mode\": \"" + text + "\"}"));

      assertThat(result.problems()).isEmpty();
      assertThat(onlyDataset(result).mode()).isEqualTo(expected);
    }
  }

  @Nested
  class Formats {
    @ParameterizedTest
    @CsvSource({
        "data/in.csv, csv",
        "s3://bucket/events.jsonl, json",
        "s3://bucket/events.ndjson, json",
        "out/table.parquet, parquet",
        "logs/2024-01-01.csv.gz, csv",
        "logs/part.json.bz2, json",
        "s3://bucket/table.orc/, orc",
        "file:///tmp/x.avro, avro",
        "notes.txt?version=3, text",
        "DATA/IN.CSV, csv"})
    void infersTheFormatFromTheExtension(String location, String format) {
      PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"" + location + "\"}"));

      assertThat(result.problems()).isEmpty();
      assertThat(onlyDataset(result).format()).isEqualTo(format);
    }

    @Test
    void aDeclaredFormatWinsOverTheExtension() {
      PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"a.csv\", \"format\": \"delta\"}"));

      assertThat(result.problems()).isEmpty();
      assertThat(onlyDataset(result).format()).isEqualTo("delta");
    }

    @Test
    void leavesTheFormatToTheValidatorWhenItCannotBeInferred() throws Exception {
      String json = """
          {"data": [
             {"dataId": "A",
              "location": "s3://bucket/table"}],
           "transformers": []}
          """;
      PipelineReader.Result result = read(json);

      assertThat(result.problems()).isEmpty();
      assertThat(onlyDataset(result).format()).isNull();
      io.ddp.core.PipelineLoader.Loaded loaded = io.ddp.core.PipelineLoader.validate(result,
          new io.ddp.core.validate.Validator(null, List.of()));
      assertThat(loaded.errors()).extracting(p -> p.format(loaded.sources())).containsExactly(
          "p.json:3:5: error: dataset 'A': cannot tell the format of \"s3://bucket/table\" from its name;"
              + " declare \"format\" (parquet, csv, json, orc, text, ...)");
    }

    @Test
    void reportsUnknownExtensionsAndCompressionOnly() {
      for (String location : List.of("a.xlsx", "a.gz", "dir/")) {
        PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"" + location + "\"}"));

        assertThat(onlyDataset(result).format()).as(location).isNull();
      }
      assertThat(io.ddp.core.model.DataDeclare.inferFormat("x.csv.gz.snappy")).isEqualTo("csv");
      assertThat(io.ddp.core.model.DataDeclare.inferFormat("x.json.bz2.gz")).isEqualTo("json");
    }

    @Test
    void aDeclarationBuiltInJavaGetsTheSameFormatAsOneReadFromJson() {
      for (String location : List.of("in/reviews.csv", "s3a://b/events.jsonl.gz", "t.parquet/", "a.xlsx", "dir/")) {
        io.ddp.core.model.DataDeclare fromJson = onlyDataset(read(withDataset("{\"dataId\": \"A\", \"location\": \"" + location + "\"}")));
        io.ddp.core.model.DataDeclare fromJava = io.ddp.core.model.DataDeclare.builder("A").location(location).build();

        assertThat(fromJava).as(location).isEqualTo(fromJson);
        assertThat(io.ddp.core.validate.Validator.structure(pipelineOf(fromJava)))
            .as(location).isEqualTo(io.ddp.core.validate.Validator.structure(pipelineOf(fromJson)));
      }
      assertThat(io.ddp.core.model.DataDeclare.builder("A").location("x.csv").format("text").build().format())
          .as("a declared format wins").isEqualTo("text");
    }

    private io.ddp.core.model.PipelineDeclare pipelineOf(io.ddp.core.model.DataDeclare d) {
      return new io.ddp.core.model.PipelineDeclare("p", Map.of(), Map.of(), List.of(d), List.of(), List.of());
    }

    @Test
    void reportsAnEmptyLocation() {
      PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \" \"}"));

      assertThat(messages(result)).containsExactly(
          "\"location\" is empty; give a path or URI, or leave the key out for in-memory data");
      assertThat(onlyDataset(result).hasLocation()).isFalse();
    }
  }

  @Nested
  class Encryption {
    private PipelineReader.Result readEncryption(String encryption) {
      return read(withDataset("{\"dataId\": \"A\", \"location\": \"s3://b/a.parquet\", \"encryption\": " + encryption + "}"));
    }

    @Test
    void readsSseAes256() {
      PipelineReader.Result result = readEncryption("{\"mode\": \"sse\", \"algorithm\": \"AES256\"}");

      assertThat(result.problems()).isEmpty();
      EncryptionDeclare e = onlyDataset(result).encryption();
      assertThat(e.mode()).isEqualTo(EncryptionMode.SSE);
      assertThat(e.algorithm()).isEqualTo("AES256");
      assertThat(e.kmsKeyId()).isNull();
      assertThat(e.summary()).isEqualTo("sse AES256");
      assertThat(e).isEqualTo(EncryptionDeclare.sse("AES256", null));
    }

    @Test
    void readsTheModeIgnoringCase() {
      PipelineReader.Result result = readEncryption("{\"mode\": \"SSE\", \"algorithm\": \"SSE-KMS\", \"kmsKeyId\": \"arn:aws:kms:k\"}");

      assertThat(result.problems()).isEmpty();
      assertThat(onlyDataset(result).encryption()).isEqualTo(EncryptionDeclare.sse("SSE-KMS", "arn:aws:kms:k"));
    }

    @Test
    void sseKmsNeedsAKeyId() {
      PipelineReader.Result result = readEncryption("{\"mode\": \"sse\", \"algorithm\": \"SSE-KMS\"}");

      assertThat(formatted(result)).containsExactly(
          "p.json:1:59: error: dataset 'A': SSE-KMS needs \"kmsKeyId\" (a KMS key id or ARN)");
    }

    @Test
    void aes256TakesNoKeyId() {
      PipelineReader.Result result = readEncryption("{\"mode\": \"sse\", \"algorithm\": \"AES256\", \"kmsKeyId\": \"k\"}");

      assertThat(messages(result)).containsExactly(
          "\"kmsKeyId\" only applies to SSE-KMS; remove it or set \"algorithm\": \"SSE-KMS\"");
    }

    @Test
    void sseNeedsAValidAlgorithm() {
      assertThat(messages(readEncryption("{\"mode\": \"sse\"}"))).containsExactly(
          "\"algorithm\" is required; use \"AES256\" or \"SSE-KMS\"");
      assertThat(messages(readEncryption("{\"mode\": \"sse\", \"algorithm\": \"aes256\"}"))).containsExactly(normalized(
          "invalid sse algorithm \"aes256\" (did you mean 'AES256'?); use AES256 or SSE-KMS"));
    }

    @Test
    void datasetModeNeedsKeyServiceAndFooterKey() {
      PipelineReader.Result result = readEncryption("{\"mode\": \"dataset\"}");

      assertThat(formatted(result)).containsExactly(
          "p.json:1:59: error: dataset 'A': \"keyService\" is required; name the key service, e.g. \"kms\" or \"local\"",
          "p.json:1:59: error: dataset 'A': \"footerKeyId\" is required; name the key that protects the file footer");
    }

    @Test
    void readsDatasetMode() {
      PipelineReader.Result result = readEncryption("""
          {"mode": "dataset", "keyService": "kms", "footerKeyId": "footer",
           "columnKeys": {"pii": ["email", "phone"], "k2": "ssn"}, "plaintextFooter": "true"}""");

      assertThat(result.problems()).isEmpty();
      EncryptionDeclare e = onlyDataset(result).encryption();
      assertThat(e.mode()).isEqualTo(EncryptionMode.DATASET);
      assertThat(e.keyService()).isEqualTo("kms");
      assertThat(e.footerKeyId()).isEqualTo("footer");
      assertThat(e.columnKeys()).containsExactly(Map.entry("pii", List.of("email", "phone")), Map.entry("k2", List.of("ssn")));
      assertThat(e.plaintextFooter()).isTrue();
      assertThat(e.summary()).isEqualTo("dataset keys via kms");
    }

    @Test
    void reportsABadPlaintextFooterAndColumnKeys() {
      PipelineReader.Result result = readEncryption("""
          {"mode": "dataset", "keyService": "kms", "footerKeyId": "f", "columnKeys": ["a"], "plaintextFooter": "yes"}""");

      assertThat(messages(result)).containsExactly(
          "\"columnKeys\" must be a JSON object {...}, not a list",
          "\"plaintextFooter\" must be true or false, not the string \"yes\"");
    }

    @Test
    void recordModeNeedsColumnsAndKeyIdColumn() {
      PipelineReader.Result result = readEncryption("{\"mode\": \"record\", \"keyService\": \"local\"}");

      assertThat(messages(result)).containsExactly(
          "record encryption needs \"columns\": the columns to encrypt",
          "\"keyIdColumn\" is required; name the column holding each record's key id");
    }

    @Test
    void readsRecordMode() {
      PipelineReader.Result result = readEncryption(
          "{\"mode\": \"record\", \"keyService\": \"local\", \"columns\": [\"email\"], \"keyIdColumn\": \"tenant\"}");

      assertThat(result.problems()).isEmpty();
      EncryptionDeclare e = onlyDataset(result).encryption();
      assertThat(e.mode()).isEqualTo(EncryptionMode.RECORD);
      assertThat(e.columns()).containsExactly("email");
      assertThat(e.keyIdColumn()).isEqualTo("tenant");
      assertThat(e.summary()).isEqualTo("record keys by tenant");
    }

    @Test
    void aKeyOfAnotherModeIsAnUnknownKey() {
      PipelineReader.Result result = readEncryption(
          "{\"mode\": \"sse\", \"algorithm\": \"AES256\", \"columns\": [\"email\"]}");

      assertThat(formatted(result)).containsExactly(normalized(
          "p.json:1:112: error: dataset 'A': unknown key \"columns\" in encryption mode sse; known keys: mode, algorithm, kmsKeyId"));
    }

    @Test
    void reportsAnUnknownOrMissingMode() {
      assertThat(formatted(readEncryption("{\"mode\": \"recrod\"}"))).containsExactly(normalized(
          "p.json:1:74: error: dataset 'A': encryption mode is \"recrod\" (did you mean 'record'?); use one of sse, dataset, record"));
      assertThat(formatted(readEncryption("{\"algorithm\": \"AES256\"}"))).containsExactly(
          "p.json:1:59: error: dataset 'A': encryption mode is missing; use one of sse, dataset, record");
      assertThat(messages(readEncryption("\"sse\""))).containsExactly(
          "\"encryption\" must be an object like {\"mode\": \"sse\", \"algorithm\": \"AES256\"}, not the string \"sse\"");
    }
  }

  @Nested
  class Metrics {
    private PipelineReader.Result readMetric(String metric) {
      return read("{\"data\": [{\"dataId\": \"A\", \"location\": \"a.csv\"}], \"transformers\": [], \"metrics\": [" + metric + "]}");
    }

    @Test
    void readsAMetric() {
      PipelineReader.Result result = readMetric("""
          {"metricId": "rows", "dataId": "A", "expression": "count(1)", "groupBy": "lang", "unit": "Count",
           "dimensions": {"env": "prod", "shard": 3}}""");

      assertThat(result.problems()).isEmpty();
      MetricDeclare m = result.pipeline().metrics().get(0);
      assertThat(m).isEqualTo(new MetricDeclare("rows", "A", "count(1)", List.of("lang"), "Count", Map.of("env", "prod", "shard", "3")));
    }

    @Test
    void theUnitDefaultsToNone() {
      PipelineReader.Result result = readMetric("{\"metricId\": \"rows\", \"dataId\": \"A\", \"expression\": \"count(1)\"}");

      assertThat(result.pipeline().metrics().get(0).unit()).isEqualTo("None");
    }

    @Test
    void reportsAUnitInTheWrongCase() {
      PipelineReader.Result result = readMetric(
          "{\"metricId\": \"rows\", \"dataId\": \"A\", \"expression\": \"count(1)\", \"unit\": \"count\"}");

      assertThat(formatted(result)).singleElement().satisfies(f -> assertThat(f)
          .startsWith(normalized("p.json:1:144: error: metric 'rows': unknown unit \"count\" (did you mean 'Count'?); use a CloudWatch unit: Seconds, "))
          .endsWith("Count/Second, None"));
    }

    @Test
    void reportsAMisspelledUnit() {
      PipelineReader.Result result = readMetric(
          "{\"metricId\": \"rows\", \"dataId\": \"A\", \"expression\": \"count(1)\", \"unit\": \"Bites\"}");

      assertThat(messages(result)).singleElement().satisfies(m -> assertThat(m)
          .startsWith(normalized("unknown unit \"Bites\" (did you mean one of 'Bits', 'Bytes'?); use a CloudWatch unit")));
    }

    @Test
    void aMetricWithoutRequiredFieldsIsDropped() {
      PipelineReader.Result result = readMetric("{\"metricId\": \"rows\", \"dataId\": \"A\"}");

      assertThat(formatted(result)).containsExactly(
          "p.json:1:82: error: metric 'rows': \"expression\" is required; give a Spark SQL aggregate, e.g. \"count(1)\"");
      assertThat(result.pipeline().metrics()).isEmpty();
      assertThat(result.complete()).isFalse();
    }
  }

  @Test
  void findsThePositionOfAKeyThatHoldsASlash() {
    PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"a.csv\", \"options\": {\"fs/x~y\": [1]}}"));

    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/data/0/options/fs~1x~0y");
      assertThat(p.format(result.sources())).isEqualTo(
          "p.json:1:60: error: dataset 'A': \"options\".fs/x~y must be a string, number or boolean, not a list");
    });
  }

  @Test
  void takesBooleansAndNumbersAsStringsInOptionsAndSparkConf() {
    PipelineReader.Result result = read("""
        {"spark": {"spark.sql.shuffle.partitions": 4, "spark.sql.adaptive.enabled": false},
         "data": [{"dataId": "A", "location": "a.csv",
                   "options": {"header": true, "samplingRatio": 0.25, "maxColumns": 20000, "sep": ";"}}],
         "transformers": []}
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(onlyDataset(result).options()).containsExactly(
        Map.entry("header", "true"), Map.entry("samplingRatio", "0.25"), Map.entry("maxColumns", "20000"), Map.entry("sep", ";"));
    assertThat(result.pipeline().spark()).containsExactly(
        Map.entry("spark.sql.shuffle.partitions", "4"), Map.entry("spark.sql.adaptive.enabled", "false"));
  }

  @Test
  void keepsParamsAsAnImmutableObjectNode() {
    PipelineReader.Result result = read("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "T", "outputDataId": "B",
                           "params": {"threshold": 0.5, "columns": ["title", "text"], "model": {"path": "m.onnx"}}}]}
        """);

    assertThat(result.problems()).isEmpty();
    TransformerDeclare t = result.pipeline().transformer(1);
    ObjectNode params = t.params();
    assertThat(params.get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(params.get("columns").get(1).asText()).isEqualTo("text");
    assertThat(params.get("model").get("path").asText()).isEqualTo("m.onnx");

    params.put("threshold", 0.9);
    params.remove("columns");
    ((ObjectNode) params.get("model")).put("path", "other.onnx");

    ObjectNode again = t.params();
    assertThat(again.get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(again.has("columns")).isTrue();
    assertThat(again.get("model").get("path").asText()).isEqualTo("m.onnx");
    assertThat(t.paramsView().get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(again).isNotSameAs(params);
  }

  @Test
  void isIncompleteWhenAnElementCannotBeRead() {
    PipelineReader.Result result = read("""
        {"data": [
           {"location": "a.csv"},
           {"dataId": "B"}],
         "transformers": [{"inputDataId": ["A"], "outputDataId": "B"}]}
        """);

    assertThat(result.complete()).isFalse();
    assertThat(formatted(result)).containsExactly(
        "p.json:2:4: error: data[0]: \"dataId\" is required; give every dataset an id, e.g. \"dataId\": \"Reviews\"",
        "p.json:4:19: error: pipe #1 ? -> B: \"transformerType\" is required;"
            + " name a registered alias or a fully qualified class name");
    assertThat(result.pipeline().data()).extracting(DataDeclare::dataId).containsExactly("B");
    assertThat(result.pipeline().transformers()).isEmpty();
  }

  @Test
  void aDataIdThatIsNotAStringMakesTheResultIncomplete() {
    PipelineReader.Result result = read(withDataset("{\"dataId\": 1}"));

    assertThat(result.complete()).isFalse();
    assertThat(formatted(result)).containsExactly("p.json:1:12: error: data[0]: \"dataId\" must be a string, not the number 1");
  }

  @Test
  void reportsABlankName() {
    PipelineReader.Result result = read("{\"name\": \" \", \"data\": [], \"transformers\": []}");

    assertThat(messages(result)).containsExactly("\"name\" is empty; give the pipeline a name or leave the key out");
    assertThat(result.pipeline().name()).isEqualTo("fallbackName");
  }

  @Test
  void theDeclarationIsImmutable() {
    PipelineReader.Result result = read(withDataset("{\"dataId\": \"A\", \"location\": \"a.csv\", \"partitionBy\": [\"day\"]}"));
    PipelineDeclare pipeline = result.pipeline();

    assertThatThrownBy(() -> pipeline.data().add(DataDeclare.builder("X").build()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> onlyDataset(result).options().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> onlyDataset(result).partitionBy().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> pipeline.transformer(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find pipe #1: the pipeline has 0 pipes");
  }

  @Nested
  class FromFile {
    @TempDir
    Path dir;

    @Test
    void readsAFileNamesItAfterTheFileAndResolvesPipelineDir() throws Exception {
      Path file = dir.resolve("daily-scores.json");
      Files.writeString(file, """
          {
            "data": [
              {"dataId": "In", "location": "${pipeline.dir}/data/in.csv"},
              {"dataId": "Out", "location": "${pipeline.dir}/out/scores.parquet"}
            ],
            "transformers": [{"inputDataId": ["In"], "transformerType": "T", "outputDataId": "Out"}]
          }
          """, StandardCharsets.UTF_8);

      PipelineReader.Result result = PipelineReader.read(file, Map.of());

      assertThat(result.problems()).isEmpty();
      assertThat(result.pipeline().name()).isEqualTo("daily-scores");
      String absoluteDir = file.toAbsolutePath().normalize().getParent().toString();
      assertThat(result.pipeline().dataset("In").orElseThrow().location()).isEqualTo(absoluteDir + "/data/in.csv");
      assertThat(result.pipeline().dataset("Out").orElseThrow().location()).isEqualTo(absoluteDir + "/out/scores.parquet");
      assertThat(result.sources().sourceName()).isEqualTo(file.toString());
      assertThat(result.sources().describe("/data/1/location")).isEqualTo(file + ":4:23");
    }

    @Test
    void reportsProblemsWithTheFilePath() throws Exception {
      Path file = dir.resolve("broken.json");
      Files.writeString(file, "{\n  \"data\": [],\n  \"transformers\": [],\n  \"metrcs\": []\n}\n", StandardCharsets.UTF_8);

      PipelineReader.Result result = PipelineReader.read(file, Map.of());

      assertThat(result.pipeline().name()).isEqualTo("broken");
      assertThat(formatted(result)).singleElement().satisfies(f -> assertThat(f)
          .startsWith(normalized(file + ":4:3: error: pipeline: unknown key \"metrcs\" in the pipeline (did you mean 'metrics'?)")));
    }

    @Test
    void aDeclaredNameWinsOverTheFileName() throws Exception {
      Path file = dir.resolve("file-name.json");
      Files.writeString(file, "{\"name\": \"declared\", \"data\": [], \"transformers\": []}", StandardCharsets.UTF_8);

      assertThat(PipelineReader.read(file, Map.of()).pipeline().name()).isEqualTo("declared");
    }

    @Test
    void keepsANameWithoutJsonExtension() throws Exception {
      Path file = dir.resolve("pipeline.conf");
      Files.writeString(file, "{\"data\": [], \"transformers\": []}", StandardCharsets.UTF_8);

      assertThat(PipelineReader.read(file, Map.of()).pipeline().name()).isEqualTo("pipeline.conf");
    }

    @Test
    void failsForAMissingFile() {
      Path missing = dir.resolve("missing.json");

      assertThatThrownBy(() -> PipelineReader.read(missing, Map.of()))
          .isInstanceOf(DdpException.class)
          .hasMessage("Cannot read pipeline " + missing + ": no such file");
    }
  }

  @Test
  void rejectsVariableNamesThatCannotBeReferenced() {
    PipelineReader.Result result = read("{\"variables\": {\"my var\": \"x\"}, \"data\": [], \"transformers\": []}");
    assertThat(formatted(result)).containsExactly("p.json:1:16: error: variables: invalid variable name \"my var\": use letters,"
        + " digits, '_', '.' and '-', starting with a letter or '_', so that ${name} can refer to it");
  }

  @Test
  void rejectsAnEmptyKmsKeyId() {
    PipelineReader.Result result = read(withDataset(
        "{\"dataId\": \"A\", \"encryption\": {\"mode\": \"sse\", \"algorithm\": \"SSE-KMS\", \"kmsKeyId\": \" \"}}"));
    assertThat(messages(result)).contains("\"kmsKeyId\" is empty; give a KMS key id or ARN");
  }

  @Test
  void aHugeIntervalIsOutOfRangeNotACrash() {
    for (String value : new String[] {"\"99999999999999999999\"", "99999999999999999999", "\"86401\"", "0", "\"-1\"", "1.5"}) {
      PipelineReader.Result result = read("""
          {"data": [], "transformers": [], "metricsConfig": {"intervalSeconds": %s}}
          """.formatted(value));
      assertThat(messages(result)).as(value)
          .anySatisfy(m -> assertThat(m).startsWith("\"intervalSeconds\" must be a whole number from 1 to 86400, not "));
    }
  }

  @Test
  void aNumberTooLargeToHoldIsALocatedSyntaxError() {
    PipelineReader.Result result = read("""
        {"data": [], "transformers": [], "spark": {"x": 1e999333333333333333333333}}
        """);
    assertThat(formatted(result)).contains(normalized("p.json:1:49: error: pipeline: invalid JSON: the number 1e999333333333333333333333"
        + " is out of range; write a smaller number, or a string"));
  }
}
