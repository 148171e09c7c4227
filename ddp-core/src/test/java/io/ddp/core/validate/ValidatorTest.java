package io.ddp.core.validate;

import static io.ddp.core.Hints.normalized;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.json.PipelineReader;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.Pipe;
import io.ddp.core.pipe.PipeContext;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeRegistration;
import io.ddp.core.pipe.PipeTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  /** Params with boxed fields: every field optional. */
  public record CountParams(Integer count, String column) {}

  /** Params with a primitive: {@code count} required. */
  public record StrictParams(int count) {}

  public static final class CountPipe implements Pipe<String, CountParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, CountParams params, PipeContext context) {
      return inputs.only();
    }
  }

  public static final class StrictPipe implements Pipe<String, StrictParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, StrictParams params, PipeContext context) {
      return inputs.only();
    }
  }

  public static final class PlainPipe implements Pipe<String, NoParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return String.join("+", inputs.all());
    }
  }

  public static final class RawPipe implements Pipe<String, ObjectNode, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, ObjectNode params, PipeContext context) {
      return params.toString();
    }
  }

  public static final class NotAPipe {}

  static final PipeTypes TYPES = PipeTypes.of(List.of(
          PipeRegistration.of("PreprocessTransformer", PlainPipe.class),
          PipeRegistration.of("FeatureGenerationTransformer", PlainPipe.class),
          PipeRegistration.of("Plain", PlainPipe.class),
          PipeRegistration.of("Count", CountPipe.class),
          PipeRegistration.of("Strict", StrictPipe.class),
          PipeRegistration.of("Raw", RawPipe.class)),
      ValidatorTest.class.getClassLoader(), Pipe.class);

  private final Validator validator = new Validator(TYPES, List.of());

  /** Reads JSON that must read cleanly, so that every problem found below is the validator's. */
  static PipelineReader.Result read(String json) {
    PipelineReader.Result result = PipelineReader.read(json, "v.json", "v", Map.of(), name -> null);
    assertThat(result.problems()).as("reading problems").isEmpty();
    return result;
  }

  private List<Problem> validate(String json) {
    return validator.validate(read(json).pipeline());
  }

  /** Problems as the CLI prints them, did-you-mean hints {@link io.ddp.core.Hints normalized}. */
  private List<String> formatted(String json) {
    PipelineReader.Result result = read(json);
    return normalized(validator.validate(result.pipeline()).stream().map(p -> p.format(result.sources())).toList());
  }

  private static List<String> messages(List<Problem> problems) {
    return normalized(problems.stream().map(Problem::message).toList());
  }

  private static List<Problem> errors(List<Problem> problems) {
    return problems.stream().filter(Problem::isError).toList();
  }

  /** Source A (csv) -> transformer Plain -> sink B (parquet): valid, with no warnings. */
  private static final String VALID = """
      {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}],
       "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
      """;

  private static String onePipe(String type, String params) {
    return "{\"data\": [{\"dataId\": \"A\", \"location\": \"a.csv\"}, {\"dataId\": \"B\", \"location\": \"b.parquet\"}],\n"
        + " \"transformers\": [{\"inputDataId\": [\"A\"], \"transformerType\": \"" + type + "\", \"outputDataId\": \"B\""
        + (params == null ? "" : ",\n   \"params\": " + params) + "}]}";
  }

  @Test
  void aValidPipelineHasNoProblems() {
    assertThat(validate(VALID)).isEmpty();
    assertThat(Validator.structure(read(VALID).pipeline())).isEmpty();
  }

  @Test
  void reportsADuplicateDataId() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"},
                  {"dataId": "A", "location": "other.csv"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(errors(problems)).singleElement().satisfies(p -> {
      assertThat(p.subject()).isEqualTo("dataset 'A'");
      assertThat(p.pointer()).isEqualTo("/data/2/dataId");
      assertThat(p.message()).isEqualTo("dataId is declared twice (data[0] and data[2]); rename one or remove the duplicate");
    });
  }

  @Test
  void reportsInvalidDataIdsWithASuggestion() {
    List<String> formatted = formatted("""
        {"data": [{"dataId": "Input-Data", "location": "a.csv"},
                  {"dataId": "1st", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["Input-Data"], "transformerType": "Plain", "outputDataId": "1st"}]}
        """);

    assertThat(formatted).containsExactly(
        "v.json:1:12: error: dataset 'Input-Data': invalid dataId: use letters, digits and '_', starting with a letter,"
            + " e.g. 'Input_Data'",
        "v.json:2:12: error: dataset '1st': invalid dataId: use letters, digits and '_', starting with a letter, e.g. 'd1st'");
  }

  @Test
  void reportsAnUndeclaredInputWithSuggestionAndPosition() {
    List<String> formatted = formatted("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "FeatureData"},
                  {"dataId": "Out", "location": "out.parquet"}],
         "transformers": [
           {"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "FeatureData"},
           {"inputDataId": ["A", "FeatureDta"], "transformerType": "Plain", "outputDataId": "Out"}]}
        """);

    assertThat(formatted).containsExactly(normalized(
        "v.json:5:26: error: pipe #2 Plain -> Out: input 'FeatureDta' is not declared (did you mean 'FeatureData'?);"
            + " declare it under \"data\" or correct the id"),
        "v.json:1:49: warning: dataset 'FeatureData': is produced by pipe #1 Plain -> FeatureData but nothing reads it"
            + " and it has no location, so the result is discarded; add a \"location\" to write it");
  }

  @Test
  void reportsAnUndeclaredOutput() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "Result"}]}
        """);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/transformers/0/outputDataId");
      assertThat(p.subject()).isEqualTo("pipe #1 Plain -> Result");
      assertThat(p.message()).isEqualTo("output 'Result' is not declared; declare it under \"data\" or correct the id");
    });
  }

  @Test
  void reportsTwoProducersOfOneDataset() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [
           {"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"},
           {"inputDataId": ["A"], "transformerType": "Count", "outputDataId": "B"},
           {"inputDataId": ["A"], "transformerType": "Raw", "outputDataId": "B"}]}
        """);

    assertThat(problems).extracting(Problem::subject, Problem::pointer, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("pipe #2 Count -> B", "/transformers/1/outputDataId",
            "output 'B' is already produced by pipe #1 Plain -> B; each dataset has one producer, so give this pipe its own output"),
        org.assertj.core.groups.Tuple.tuple("pipe #3 Raw -> B", "/transformers/2/outputDataId",
            "output 'B' is already produced by pipe #1 Plain -> B; each dataset has one producer, so give this pipe its own output"));
  }

  @Test
  void reportsADatasetThatIsReadButNeitherProducedNorLocated() {
    List<String> formatted = formatted("""
        {"data": [{"dataId": "A", "location": "a.csv"},
                  {"dataId": "Lookup"},
                  {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A", "Lookup"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(formatted).containsExactly(
        "v.json:2:11: error: dataset 'Lookup': is read by pipe #1 Plain -> B but nothing produces it and it has no location;"
            + " add a \"location\" to read it from, or a pipe with \"outputDataId\": \"Lookup\"");
  }

  @Test
  void namesAtMostThreeReadersOfAMissingDataset() {
    StringBuilder pipes = new StringBuilder();
    StringBuilder data = new StringBuilder("{\"dataId\": \"Ghost\"}");
    for (int i = 1; i <= 5; i++) {
      data.append(", {\"dataId\": \"O").append(i).append("\", \"location\": \"o").append(i).append(".csv\"}");
      pipes.append(i == 1 ? "" : ", ").append("{\"inputDataId\": [\"Ghost\"], \"transformerType\": \"Plain\", \"outputDataId\": \"O")
          .append(i).append("\"}");
    }
    List<Problem> problems = validate("{\"data\": [" + data + "], \"transformers\": [" + pipes + "]}");

    assertThat(messages(problems)).singleElement().satisfies(m -> assertThat(m).startsWith(
        "is read by pipe #1 Plain -> O1, pipe #2 Plain -> O2, pipe #3 Plain -> O3, and 2 more"
            + " but nothing produces it"));
  }

  @Test
  void reportsAnEmptyInputList() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": [], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/transformers/0/inputDataId");
      assertThat(p.message()).isEqualTo("\"inputDataId\" is empty; a pipe reads at least one dataset, e.g. [\"InputData\"]");
    });
  }

  @Test
  void reportsAPipeReadingItsOwnOutput() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A", "B"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/transformers/0/inputDataId/1");
      assertThat(p.message()).isEqualTo("reads its own output 'B'; a pipe must produce a new dataset"
          + " (declare one and use it as \"outputDataId\")");
    });
  }

  @Test
  void reportsAnInputListedTwice() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A", "A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/transformers/0/inputDataId/1");
      assertThat(p.message()).isEqualTo("input 'A' is listed twice in \"inputDataId\"; list each dataset once");
    });
  }

  @Test
  void reportsADuplicateTransformerName() {
    List<String> formatted = formatted("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"},
                  {"dataId": "C", "location": "c.parquet"}],
         "transformers": [
           {"name": "prep", "inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"},
           {"name": "prep", "inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "C"}]}
        """);

    assertThat(formatted).containsExactly("v.json:5:5: error: pipe #2 'prep' (Plain -> C): name 'prep' is already used"
        + " by pipe #1; pipe names must be unique");
  }

  @Test
  void reportsAnUnknownTransformerTypeWithSuggestion() {
    List<String> formatted = formatted(onePipe("PreprocesTransformer", null));

    assertThat(formatted).containsExactly(normalized("v.json:2:42: error: pipe #1 PreprocesTransformer -> B:"
        + " unknown transformerType 'PreprocesTransformer' (did you mean 'PreprocessTransformer'?); use a registered alias"
        + " (Count, FeatureGenerationTransformer, Plain, PreprocessTransformer, Raw, Strict) or a fully qualified class name"));
  }

  @Test
  void suggestsAliasesIgnoringCase() {
    assertThat(messages(validate(onePipe("plain", null)))).singleElement()
        .satisfies(m -> assertThat(m).startsWith(normalized("unknown transformerType 'plain' (did you mean 'Plain'?);")));
  }

  @Test
  void resolvesAFullyQualifiedClassName() {
    assertThat(validate(onePipe(CountPipe.class.getName(), "{\"count\": 3}"))).isEmpty();
  }

  @Test
  void reportsAClassThatIsNotOnTheClassPath() {
    assertThat(messages(validate(onePipe("com.example.NoSuchPipe", null)))).containsExactly(
        "class 'com.example.NoSuchPipe' is not on the class path; add the jar that holds it"
            + " (spark-submit --jars, or DDP_CLASSPATH for ./ddp)");
  }

  @Test
  void reportsAClassThatIsNotAPipe() {
    String name = NotAPipe.class.getName();

    assertThat(validate(onePipe(name, null))).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/transformers/0/transformerType");
      assertThat(p.message()).isEqualTo("'" + name + "' is " + name + ", which does not implement io.ddp.core.pipe.Pipe;"
          + " a pipe implements Pipe");
    });
  }

  @Test
  void reportsAnUnknownParamWithSuggestionAndPosition() {
    List<String> formatted = formatted(onePipe("Count", "{\"count\": 2, \"colum\": \"text\"}"));

    assertThat(formatted).containsExactly(normalized("v.json:3:27: error: pipe #1 Count -> B: unknown param 'colum'"
        + " (did you mean 'column'?); known params: [column, count]"));
  }

  @Test
  void reportsAParamOfTheWrongType() {
    List<Problem> problems = validate(onePipe("Strict", "{\"count\": \"many\"}"));

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/transformers/0/params/count");
      assertThat(p.message()).isEqualTo("param 'count' has the value \"many\", which is not a valid int");
    });
  }

  @Test
  void reportsAParamThatIsAnObjectInsteadOfANumber() {
    assertThat(messages(validate(onePipe("Strict", "{\"count\": {\"n\": 1}}")))).singleElement()
        .satisfies(m -> assertThat(m).startsWith("param 'count' must be an int: Cannot deserialize value of type `int`"));
  }

  @Test
  void reportsParamsGivenToAPipeThatTakesNone() {
    List<String> formatted = formatted(onePipe("Plain", "{\"threshold\": 0.5}"));

    assertThat(formatted).containsExactly("v.json:3:15: error: pipe #1 Plain -> B: this pipe takes no params,"
        + " but [threshold] declared; remove \"params\"");
  }

  @Test
  void passesAnyParamsToAnObjectNodePipe() {
    assertThat(validate(onePipe("Raw", "{\"anything\": [1, {\"x\": true}]}"))).isEmpty();
  }

  @Test
  void reportsAMetricOnAnUnknownDataset() {
    List<String> formatted = formatted("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "Output", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "Output"}],
         "metrics": [{"metricId": "rows", "dataId": "Outptu", "expression": "count(1)"}]}
        """);

    assertThat(formatted).containsExactly(normalized("v.json:3:35: error: metric 'rows': dataset 'Outptu' is not declared"
        + " (did you mean 'Output'?); name a declared dataId"));
  }

  @Test
  void reportsADuplicateMetricId() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}],
         "metrics": [{"metricId": "rows", "dataId": "A", "expression": "count(1)"},
                     {"metricId": "rows", "dataId": "B", "expression": "count(1)"}]}
        """);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.subject()).isEqualTo("metric 'rows'");
      assertThat(p.pointer()).isEqualTo("/metrics/1/metricId");
      assertThat(p.message()).isEqualTo("metricId is declared twice (metrics[0] and metrics[1]); rename one");
    });
  }

  @Test
  void reportsAnInvalidMetricIdAndAnEmptyExpression() {
    PipelineDeclare base = read(VALID).pipeline();
    PipelineDeclare pipeline = new PipelineDeclare("p", Map.of(), Map.of(), base.data(), base.transformers(),
        List.of(new MetricDeclare("rows-per-day", "B", " ")));

    List<Problem> problems = validator.validate(pipeline);

    assertThat(problems).extracting(Problem::pointer, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("/metrics/0/metricId", "invalid metricId: use letters, digits and '_', starting with a letter"),
        org.assertj.core.groups.Tuple.tuple("/metrics/0/expression", "expression is empty; give a Spark SQL aggregate, e.g. count(1)"));
  }

  @Test
  void reportsALocationWithoutFormat() {
    PipelineDeclare pipeline = new PipelineDeclare("p", Map.of(), Map.of(),
        List.of(DataDeclare.builder("A").location("s3://bucket/a").build(), DataDeclare.builder("B").location("b").format("parquet").build()),
        List.of(new TransformerDeclare(List.of("A"), "Plain", "B")), List.of());

    List<Problem> problems = validator.validate(pipeline);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.isError()).isTrue();
      assertThat(p.subject()).isEqualTo("dataset 'A'");
      assertThat(p.pointer()).isEqualTo("/data/0/location");
      assertThat(p.message()).isEqualTo("cannot tell the format of \"s3://bucket/a\" from its name; declare \"format\" (parquet, csv, json, orc, text, ...)");
      assertThat(p.format(SourceMap.EMPTY)).isEqualTo("<code>: error: dataset 'A': cannot tell the format of \"s3://bucket/a\" from its name;"
          + " declare \"format\" (parquet, csv, json, orc, text, ...)");
    });
  }

  @Test
  void checksPartitionColumns() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"},
                  {"dataId": "B", "partitionBy": ["day"]},
                  {"dataId": "C", "location": "c.parquet", "partitionBy": ["day", "hour", "day"]}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"},
                          {"inputDataId": ["B"], "transformerType": "Plain", "outputDataId": "C"}]}
        """);

    assertThat(problems).extracting(Problem::severity, Problem::subject, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "dataset 'B'",
            "\"partitionBy\" has no effect on in-memory data; add a location or remove it"),
        org.assertj.core.groups.Tuple.tuple(Severity.ERROR, "dataset 'C'", "partition column 'day' is listed twice"));
  }

  @Test
  void warnsAboutAResultThatIsProducedButNeitherReadNorStored() {
    List<String> formatted = formatted("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"},
                  {"dataId": "Scratch"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"},
                          {"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "Scratch"}]}
        """);

    assertThat(formatted).containsExactly("v.json:2:11: warning: dataset 'Scratch': is produced by pipe"
        + " #2 Plain -> Scratch but nothing reads it and it has no location, so the result is discarded;"
        + " add a \"location\" to write it");
  }

  @Test
  void doesNotWarnAboutAnUnreadResultThatHasAMetric() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "Counted"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "Counted"}],
         "metrics": [{"metricId": "rows", "dataId": "Counted", "expression": "count(1)"}]}
        """);

    assertThat(problems).isEmpty();
  }

  @Test
  void warnsAboutUnusedDatasets() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"},
                  {"dataId": "OldSource", "location": "old.csv"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(errors(problems)).isEmpty();
    assertThat(problems).extracting(Problem::severity, Problem::pointer, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "/data/2", "is a source that nothing reads; remove it or read it in a pipe"));
  }

  @Test
  void aMergeNeedsItsModeAndDistinctKeysAndAMergeModeNeedsKeys() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"},
                  {"dataId": "B", "location": "b", "format": "delta", "mode": "append", "merge": {"keys": ["id", "id"]}},
                  {"dataId": "C", "location": "c", "format": "delta", "mode": "merge"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"},
                          {"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "C"}]}
        """);

    assertThat(errors(problems)).extracting(Problem::pointer, Problem::subject, Problem::message).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("/data/1/merge", "dataset 'B'", "\"merge\" only applies with \"mode\": \"merge\""
            + " (the mode is append); set the mode or remove \"merge\""),
        org.assertj.core.groups.Tuple.tuple("/data/1/merge/keys", "dataset 'B'", "a key column is listed twice in [id, id]"),
        org.assertj.core.groups.Tuple.tuple("/data/2/mode", "dataset 'C'", "mode \"merge\" needs the key columns to merge by;"
            + " declare \"merge\": {\"keys\": [\"id\"]}"));
  }

  @Test
  void aMergeModeOnASourceIsAWarningThatSaysItIsNeverWritten() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a", "format": "delta", "mode": "merge", "merge": {"keys": ["id"]}},
                  {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(errors(problems)).isEmpty();
    assertThat(problems).extracting(Problem::severity, Problem::pointer, Problem::subject, Problem::message).contains(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "/data/0/mode", "dataset 'A'", "mode \"merge\" only applies when a"
            + " dataset is written, and this one is a source (nothing produces it); remove the mode and \"merge\""));
  }

  @Test
  void aDatasetWithoutProducerOrLocationIsAnErrorEvenWhenUnread() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "B", "location": "b.parquet"}, {"dataId": "Orphan"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(errors(problems)).extracting(Problem::pointer, Problem::subject, Problem::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("/data/2", "dataset 'Orphan'", "nothing produces it and it has no location, so it can never hold data;"
            + " add a \"location\" to read it from, a pipe with \"outputDataId\": \"Orphan\", or remove it"));
  }

  @Test
  void reportsEveryProblemInOneCall() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.csv"}, {"dataId": "A", "location": "a2.csv"},
                  {"dataId": "bad id", "location": "x.csv"}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [
           {"inputDataId": ["Missing"], "transformerType": "Plain", "outputDataId": "B"},
           {"inputDataId": ["A"], "transformerType": "Nope", "outputDataId": "B"},
           {"inputDataId": ["A"], "transformerType": "Count", "outputDataId": "Undeclared", "params": {"cuont": 1}}],
         "metrics": [{"metricId": "m", "dataId": "Gone", "expression": "count(1)"}]}
        """);

    assertThat(errors(problems)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(messages(errors(problems))).anySatisfy(m -> assertThat(m).startsWith("dataId is declared twice"))
        .anySatisfy(m -> assertThat(m).startsWith("invalid dataId"))
        .anySatisfy(m -> assertThat(m).startsWith("input 'Missing' is not declared"))
        .anySatisfy(m -> assertThat(m).startsWith("output 'B' is already produced by pipe #1"))
        .anySatisfy(m -> assertThat(m).startsWith("output 'Undeclared' is not declared"))
        .anySatisfy(m -> assertThat(m).startsWith("unknown transformerType 'Nope'"))
        .anySatisfy(m -> assertThat(m).startsWith(normalized("unknown param 'cuont' (did you mean 'count'?)")))
        .anySatisfy(m -> assertThat(m).startsWith("dataset 'Gone' is not declared"));
  }

  @Test
  void runsTheChecksItWasGiven() {
    List<PipelineDeclare> seen = new ArrayList<>();
    PipelineCheck check = (pipeline, problems) -> {
      seen.add(pipeline);
      problems.warning("/data/0/schema", "dataset 'A'", "schema is not valid Spark DDL");
    };
    PipelineDeclare pipeline = read(VALID).pipeline();

    List<Problem> problems = new Validator(TYPES, List.of(check)).validate(pipeline);

    assertThat(seen).containsExactly(pipeline);
    assertThat(problems).containsExactly(Problem.warning("/data/0/schema", "dataset 'A'", "schema is not valid Spark DDL"));
  }

  @Test
  void runsChecksAfterTheBuiltInOnes() {
    PipelineCheck check = (pipeline, problems) -> problems.error("", "pipeline", "custom: " + problems.asList().size() + " before");

    List<Problem> problems = new Validator(TYPES, List.of(check)).validate(read(onePipe("Nope", null)).pipeline());

    assertThat(messages(problems)).hasSize(2).last().isEqualTo("custom: 1 before");
  }

  @Test
  void skipsTypeChecksWithoutPipeTypes() {
    PipelineDeclare pipeline = read(onePipe("Nope", "{\"whatever\": 1}")).pipeline();

    assertThat(new Validator(null, List.of()).validate(pipeline)).isEmpty();
    assertThat(Validator.structure(pipeline)).isEmpty();
    assertThat(validator.validate(pipeline)).isNotEmpty();
  }

  @Test
  void findsChecksWithTheServiceLoader() {
    PipelineDeclare base = read(VALID).pipeline();
    PipelineDeclare named = new PipelineDeclare(ServiceLoadedCheck.TRIGGER, Map.of(), Map.of(), base.data(),
        base.transformers(), base.metrics());

    Validator withServices = Validator.withChecksFrom(TYPES, ValidatorTest.class.getClassLoader());

    assertThat(withServices.validate(named)).containsExactly(
        Problem.warning("", "pipeline", "ServiceLoadedCheck saw pipeline " + ServiceLoadedCheck.TRIGGER));
    assertThat(withServices.validate(base)).isEmpty();
  }

  @Test
  void reportsACycle() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "S", "location": "s.csv"}, {"dataId": "A"}, {"dataId": "B"}],
         "transformers": [
           {"inputDataId": ["S", "B"], "transformerType": "Plain", "outputDataId": "A"},
           {"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.subject()).isEqualTo("pipeline");
      assertThat(p.pointer()).isEqualTo("/transformers/0");
      assertThat(p.message()).isEqualTo("circular dependency among 2 pipes: B -> #1 Plain -> A -> #2 Plain -> B;"
          + " a pipe cannot depend on its own output, so break the cycle by changing one of these inputs");
    });
  }

  @Test
  void warnsThatPartitionByOnASourceIsIgnored() {
    List<Problem> problems = validate("""
        {"data": [{"dataId": "A", "location": "a.parquet", "partitionBy": ["day"]}, {"dataId": "B", "location": "b.parquet"}],
         "transformers": [{"inputDataId": ["A"], "transformerType": "Plain", "outputDataId": "B"}]}
        """);

    assertThat(problems).extracting(Problem::severity, Problem::pointer).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "/data/0/partitionBy"));
    assertThat(problems.get(0).message()).startsWith("\"partitionBy\" only applies when a dataset is written");
  }

  @Test
  void aSinkMayNotWriteWhereTheSameRunReads() {
    String cwd = java.nio.file.Path.of("").toAbsolutePath().toString();
    List<Problem> problems = validate("""
        {"data": [{"dataId": "Src", "location": "data/in/", "format": "parquet"},
                  {"dataId": "Same", "location": "%s/data/in", "format": "parquet"},
                  {"dataId": "Around", "location": "file:%s/data", "format": "parquet"},
                  {"dataId": "Inside", "location": "data/in/part2", "format": "parquet"},
                  {"dataId": "Elsewhere", "location": "data/out", "format": "parquet"},
                  {"dataId": "Sibling", "location": "data/in2", "format": "parquet"}],
         "transformers": [{"inputDataId": ["Src"], "transformerType": "Plain", "outputDataId": "Same"},
                          {"inputDataId": ["Src"], "transformerType": "Plain", "outputDataId": "Around"},
                          {"inputDataId": ["Src"], "transformerType": "Plain", "outputDataId": "Inside"},
                          {"inputDataId": ["Src"], "transformerType": "Plain", "outputDataId": "Elsewhere"},
                          {"inputDataId": ["Src"], "transformerType": "Plain", "outputDataId": "Sibling"}]}
        """.formatted(cwd, cwd));

    assertThat(errors(problems)).extracting(p -> p.subject() + " " + p.pointer() + ": " + p.message()).containsExactly(
        "dataset 'Same' /data/1/location: is written to the location of source 'Src' (data/in/), which the same run reads;"
            + " write it somewhere else, or read a copy",
        "dataset 'Around' /data/2/location: is written to a directory around the location of source 'Src' (data/in/), which the"
            + " same run reads; write it somewhere else, or read a copy",
        "dataset 'Inside' /data/3/location: is written to a directory inside the location of source 'Src' (data/in/), which the"
            + " same run reads; write it somewhere else, or read a copy");
  }
}
