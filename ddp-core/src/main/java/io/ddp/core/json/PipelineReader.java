package io.ddp.core.json;

import io.ddp.core.validate.SourceMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.EncryptionMode;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.MetricsConfig;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a pipeline JSON file strictly: unknown keys, wrong types and unresolved variables are errors
 * with the file's line and column. Reading never throws for a bad file: every problem found is in
 * {@link Result#problems()}, and the declaration holds whatever could be read, so that the
 * {@link io.ddp.core.validate.Validator} can add its own findings and the user sees all of them at once.
 *
 * <pre>{@code
 * PipelineReader.Result read = PipelineReader.read(Path.of("pipelines/quickstart.json"), Map.of("in", "/data"));
 * PipelineDeclare pipeline = read.orThrow();
 * }</pre>
 */
public final class PipelineReader {
  static final List<String> TOP_KEYS =
      List.of("name", "description", "variables", "spark", "data", "transformers", "metrics", "metricsConfig");
  static final List<String> METRICS_CONFIG_KEYS = List.of("intervalSeconds", "progressSeconds", "maxGroups", "report", "sinks");
  static final List<String> DATA_KEYS =
      List.of("dataId", "location", "format", "schema", "options", "mode", "partitionBy", "encryption", "persist",
          "schemaPolicy", "badRecords", "quarantine");
  static final List<String> TRANSFORMER_KEYS = List.of("name", "inputDataId", "transformerType", "outputDataId", "params");
  static final List<String> METRIC_KEYS = List.of("metricId", "dataId", "expression", "groupBy", "unit", "dimensions");
  static final Map<EncryptionMode, List<String>> ENCRYPTION_KEYS = Map.of(
      EncryptionMode.SSE, List.of("mode", "algorithm", "kmsKeyId"),
      EncryptionMode.DATASET, List.of("mode", "keyService", "footerKeyId", "columnKeys", "plaintextFooter"),
      EncryptionMode.RECORD, List.of("mode", "keyService", "columns", "keyIdColumn"));
  static final List<String> SSE_ALGORITHMS = List.of("AES256", "SSE-KMS");

  /** File extensions that tell the format when {@code format} is not declared. */
  private static final Map<String, String> FORMAT_BY_EXTENSION = Map.ofEntries(
      Map.entry("csv", "csv"), Map.entry("json", "json"), Map.entry("jsonl", "json"), Map.entry("ndjson", "json"),
      Map.entry("parquet", "parquet"), Map.entry("orc", "orc"), Map.entry("avro", "avro"),
      Map.entry("txt", "text"), Map.entry("text", "text"));

  private PipelineReader() {}

  /**
   * What reading a file produced.
   *
   * @param pipeline the declaration as far as it could be read; null only if the file is not JSON at all
   * @param sources positions of every element, to turn problems into {@code file:line:column}
   * @param problems errors and warnings found while reading
   * @param complete false when some dataset, transformer or metric could not be read at all and is
   *     missing from {@code pipeline}; positions in it then differ from the file's
   */
  public record Result(PipelineDeclare pipeline, SourceMap sources, List<Problem> problems, boolean complete) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
      return pipeline == null || problems.stream().anyMatch(Problem::isError);
    }

    /** The pipeline, or an {@link InvalidPipelineException} listing every reading error. */
    public PipelineDeclare orThrow() {
      if (hasErrors()) {
        throw new InvalidPipelineException(problems, sources);
      }
      return pipeline;
    }
  }

  /** Reads a file; {@code overrides} are {@code --var} values; {@code ${env:X}} reads the process environment. */
  public static Result read(Path file, Map<String, String> overrides) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new io.ddp.core.exceptions.DdpException("Cannot read pipeline " + file + ": no such file");
    } catch (IOException e) {
      throw new io.ddp.core.exceptions.DdpException("Cannot read pipeline " + file + ": " + e.getMessage(), e);
    }
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    String defaultName = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    Path dir = file.toAbsolutePath().normalize().getParent();
    Map<String, String> builtins = Map.of(PIPELINE_DIR, dir == null ? "." : dir.toString());
    return read(text, file.toString(), defaultName, overrides, builtins, System::getenv);
  }

  /** Built-in variable: the absolute directory of the pipeline file. */
  public static final String PIPELINE_DIR = "pipeline.dir";

  /**
   * Reads pipeline JSON text.
   *
   * @param json the text
   * @param sourceName how messages name the source, e.g. the file path
   * @param defaultName the pipeline name when the JSON declares none
   * @param overrides {@code --var} values, taking precedence over declared variables
   * @param env looks up {@code ${env:NAME}}; null result means "not set"
   */
  public static Result read(
      String json, String sourceName, String defaultName, Map<String, String> overrides, Function<String, String> env) {
    return read(json, sourceName, defaultName, overrides, Map.of(), env);
  }

  private static Result read(String json, String sourceName, String defaultName, Map<String, String> overrides,
      Map<String, String> builtins, Function<String, String> env) {
    Problems problems = new Problems();
    SourceMap.Builder positions = new SourceMap.Builder();
    JsonNode root = LocatedTree.parse(json, positions, problems);
    if (root == null) {
      return new Result(null, positions.build(sourceName), problems.asList(), false);
    }
    Mapping mapping = new Mapping(problems, overrides, builtins, env);
    PipelineDeclare pipeline = mapping.pipeline(root, defaultName);
    return new Result(pipeline, positions.build(sourceName), dedupe(problems.asList()), mapping.complete);
  }

  private static List<Problem> dedupe(List<Problem> problems) {
    return new ArrayList<>(new LinkedHashSet<>(problems));
  }

  /** Maps the tree to declarations, collecting problems instead of throwing. */
  private static final class Mapping {
    private final Problems problems;
    private final Map<String, String> overrides;
    private final Map<String, String> builtins;
    private final Function<String, String> env;
    private boolean complete = true;

    Mapping(Problems problems, Map<String, String> overrides, Map<String, String> builtins, Function<String, String> env) {
      this.problems = problems;
      this.overrides = overrides == null ? Map.of() : overrides;
      this.builtins = builtins;
      this.env = env;
    }

    PipelineDeclare pipeline(JsonNode root, String defaultName) {
      Fields top = Fields.of(root, "", "pipeline", "the pipeline", TOP_KEYS, problems);
      if (top == null) {
        complete = false;
        return new PipelineDeclare(defaultName, Map.of(), Map.of(), List.of(), List.of(), List.of());
      }
      // Variables first: their values feed every other string in the file.
      Map<String, String> declaredVars = top.textMap("variables");
      Map<String, String> varPointers = new LinkedHashMap<>();
      declaredVars.keySet().forEach(k -> varPointers.put(k, Fields.child(top.pointer("variables"), k)));
      varPointers.forEach((k, p) -> {
        if (!Variables.isName(k)) {
          problems.error(p, "variables", "invalid variable name \"" + k + "\": use letters, digits, '_', '.' and '-',"
              + " starting with a letter or '_', so that ${name} can refer to it");
        }
      });
      Variables variables = new Variables(declaredVars, overrides, builtins, env);
      Map<String, String> effectiveVars = variables.effective(problems, varPointers);
      substituteAll((ObjectNode) root, "", variables);

      String name = top.text("name");
      if (name != null && name.isBlank()) {
        problems.error(top.pointer("name"), "pipeline", "\"name\" is empty; give the pipeline a name or leave the key out");
      }
      top.text("description");
      Map<String, String> spark = top.textMap("spark");
      List<DataDeclare> data = list(top, "data", this::data);
      List<TransformerDeclare> transformers = list(top, "transformers", this::transformer);
      List<MetricDeclare> metrics = list(top, "metrics", this::metric);
      if (!top.has("data")) {
        problems.error("", "pipeline", "\"data\" is missing; declare the datasets as \"data\": [{\"dataId\": ...}]");
      }
      if (!top.has("transformers")) {
        problems.error("", "pipeline", "\"transformers\" is missing; declare the pipes as \"transformers\": [{\"inputDataId\": ...}]");
      }
      MetricsConfig metricsConfig = top.has("metricsConfig") ? metricsConfig(top.raw("metricsConfig"), top.pointer("metricsConfig")) : null;
      return new PipelineDeclare(name == null || name.isBlank() ? defaultName : name, effectiveVars, spark,
          data, transformers, metrics, metricsConfig);
    }

    private MetricsConfig metricsConfig(JsonNode node, String pointer) {
      Fields f = Fields.of(node, pointer, "metricsConfig", "metricsConfig", METRICS_CONFIG_KEYS, problems);
      if (f == null) {
        return null;
      }
      int interval = positive(f, "intervalSeconds", MetricsConfig.DEFAULT_INTERVAL_SECONDS, 1);
      int progress = positive(f, "progressSeconds", MetricsConfig.DEFAULT_PROGRESS_SECONDS, 0);
      int maxGroups = positive(f, "maxGroups", MetricsConfig.DEFAULT_MAX_GROUPS, 1);
      String report = f.text("report");
      List<Map<String, String>> sinks = MetricsConfig.defaults().sinks();
      JsonNode s = f.raw("sinks");
      if (s != null && !s.isNull()) {
        if (!s.isArray()) {
          problems.error(f.pointer("sinks"), "metricsConfig", "\"sinks\" must be a list of objects like {\"type\": \"log\"}");
        } else {
          sinks = new ArrayList<>();
          for (int i = 0; i < s.size(); i++) {
            String p = f.pointer("sinks") + "/" + i;
            JsonNode item = s.get(i);
            if (!item.isObject() || !item.path("type").isTextual()) {
              problems.error(p, "metricsConfig", "a sink is an object with a \"type\" (log, jsonl, cloudwatch, or a registered one)");
              continue;
            }
            Map<String, String> settings = new LinkedHashMap<>();
            item.fields().forEachRemaining(e -> {
              if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                settings.put(e.getKey(), e.getValue().asText());
              } else {
                problems.error(Fields.child(p, e.getKey()), "metricsConfig", "sink setting \"" + e.getKey() + "\" must be a string, number or boolean");
              }
            });
            sinks.add(settings);
          }
        }
      }
      return new MetricsConfig(interval, progress, maxGroups, report, sinks);
    }

    private int positive(Fields f, String key, int fallback, int min) {
      JsonNode v = f.raw(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      String text = v.asText();
      // At most 5 digits before parsing: "99999999999999999999" is out of range, not a crash.
      if (!(v.isInt() || (v.isTextual() && text.matches("[0-9]{1,5}"))) || Long.parseLong(text) < min || Long.parseLong(text) > 86_400) {
        problems.error(f.pointer(key), "metricsConfig", "\"" + key + "\" must be a whole number from " + min + " to 86400, not " + Fields.describe(v));
        return fallback;
      }
      return Integer.parseInt(text);
    }

    private void substituteAll(ObjectNode root, String pointer, Variables variables) {
      Iterator<Map.Entry<String, JsonNode>> it = root.fields();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      it.forEachRemaining(entries::add);
      for (Map.Entry<String, JsonNode> e : entries) {
        if (pointer.isEmpty() && e.getKey().equals("variables")) {
          continue;
        }
        String child = Fields.child(pointer, e.getKey());
        JsonNode v = e.getValue();
        if (v.isTextual()) {
          root.set(e.getKey(), TextNode.valueOf(variables.substitute(v.asText(), child, problems)));
        } else {
          substituteContainer(v, child, variables);
        }
      }
    }

    private void substituteContainer(JsonNode v, String pointer, Variables variables) {
      if (v.isObject()) {
        substituteAll((ObjectNode) v, pointer, variables);
      } else if (v.isArray()) {
        ArrayNode array = (ArrayNode) v;
        for (int i = 0; i < array.size(); i++) {
          JsonNode item = array.get(i);
          String child = pointer + "/" + i;
          if (item.isTextual()) {
            array.set(i, TextNode.valueOf(variables.substitute(item.asText(), child, problems)));
          } else {
            substituteContainer(item, child, variables);
          }
        }
      }
    }

    private interface ElementReader<T> {
      T read(JsonNode node, String pointer, int index);
    }

    private <T> List<T> list(Fields top, String key, ElementReader<T> reader) {
      JsonNode v = top.raw(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        problems.error(top.pointer(key), "pipeline", "\"" + key + "\" must be a list [...], not " + Fields.describe(v));
        complete = false;
        return List.of();
      }
      List<T> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        T item = reader.read(v.get(i), top.pointer(key) + "/" + i, i);
        if (item != null) {
          out.add(item);
        } else {
          complete = false;
        }
      }
      return out;
    }

    private DataDeclare data(JsonNode node, String pointer, int index) {
      String id = node != null && node.isObject() && node.path("dataId").isTextual() ? node.get("dataId").asText() : null;
      String subject = id != null ? "dataset '" + id + "'" : "data[" + index + "]";
      Fields f = Fields.of(node, pointer, subject, "a dataset declaration", DATA_KEYS, problems);
      if (f == null) {
        return null;
      }
      String dataId = f.requiredText("dataId", "give every dataset an id, e.g. \"dataId\": \"Reviews\"");
      String location = f.text("location");
      if (location != null && location.isBlank()) {
        problems.error(f.pointer("location"), subject, "\"location\" is empty; give a path or URI, or leave the key out for in-memory data");
        location = null;
      }
      String format = f.text("format");
      if (format == null && location != null) {
        // Null when the name does not tell; the validator then asks for "format".
        format = inferFormat(location);
      }
      String schema = f.text("schema");
      Map<String, String> options = f.textMap("options");
      WriteMode mode = null;
      String modeText = f.text("mode");
      if (modeText != null) {
        Optional<WriteMode> parsed = WriteMode.fromJson(modeText);
        if (parsed.isEmpty()) {
          List<String> names = Arrays.stream(WriteMode.values()).map(WriteMode::jsonName).collect(Collectors.toList());
          problems.error(f.pointer("mode"), subject, "invalid mode \"" + modeText + "\"" + Suggestions.didYouMean(modeText, names)
              + "; use one of " + String.join(", ", names));
        } else {
          mode = parsed.get();
        }
      }
      List<String> partitionBy = f.textList("partitionBy");
      EncryptionDeclare encryption = f.has("encryption") ? encryption(f.raw("encryption"), f.pointer("encryption"), subject) : null;
      String persist = f.text("persist");
      if (persist != null && persist.isBlank()) {
        problems.error(f.pointer("persist"), subject, "\"persist\" is empty; use auto, none or a Spark storage level such as MEMORY_AND_DISK");
        persist = null;
      }
      String schemaPolicy = choice(f, "schemaPolicy", subject, List.of(DataDeclare.SCHEMA_FAIL, DataDeclare.SCHEMA_CAST));
      String badRecords = choice(f, "badRecords", subject, List.of(DataDeclare.BAD_RECORDS_QUARANTINE, DataDeclare.BAD_RECORDS_FAIL));
      String quarantine = f.text("quarantine");
      if (dataId == null) {
        return null;
      }
      return new DataDeclare(dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy,
          badRecords, quarantine);
    }

    /** One of a few lower-case words, case-insensitively; null when absent or invalid (reported). */
    private String choice(Fields f, String key, String subject, List<String> allowed) {
      String value = f.text(key);
      if (value == null) {
        return null;
      }
      String lower = value.toLowerCase(Locale.ROOT);
      if (!allowed.contains(lower)) {
        problems.error(f.pointer(key), subject, "invalid " + key + " \"" + value + "\"" + Suggestions.didYouMean(lower, allowed)
            + "; use " + String.join(" or ", allowed));
        return null;
      }
      return lower;
    }

    private EncryptionDeclare encryption(JsonNode node, String pointer, String subject) {
      if (!node.isObject()) {
        problems.error(pointer, subject, "\"encryption\" must be an object like {\"mode\": \"sse\", \"algorithm\": \"AES256\"}, not "
            + Fields.describe(node));
        return null;
      }
      JsonNode modeNode = node.get("mode");
      List<String> modes = Arrays.stream(EncryptionMode.values()).map(EncryptionMode::jsonName).collect(Collectors.toList());
      Optional<EncryptionMode> mode = modeNode != null && modeNode.isTextual() ? EncryptionMode.fromJson(modeNode.asText()) : Optional.empty();
      if (mode.isEmpty()) {
        String given = modeNode == null ? "missing" : "\"" + modeNode.asText() + "\"";
        problems.error(modeNode == null ? pointer : pointer + "/mode", subject, "encryption mode is " + given
            + (modeNode != null && modeNode.isTextual() ? Suggestions.didYouMean(modeNode.asText(), modes) : "")
            + "; use one of " + String.join(", ", modes));
        return null;
      }
      Fields f = Fields.of(node, pointer, subject, "encryption mode " + mode.get(), ENCRYPTION_KEYS.get(mode.get()), problems);
      switch (mode.get()) {
        case SSE: {
          String algorithm = f.requiredText("algorithm", "use \"AES256\" or \"SSE-KMS\"");
          if (algorithm != null && !SSE_ALGORITHMS.contains(algorithm)) {
            problems.error(f.pointer("algorithm"), subject, "invalid sse algorithm \"" + algorithm + "\""
                + Suggestions.didYouMean(algorithm, SSE_ALGORITHMS) + "; use AES256 or SSE-KMS");
          }
          String keyId = f.text("kmsKeyId");
          if (keyId != null && keyId.isBlank()) {
            problems.error(f.pointer("kmsKeyId"), subject, "\"kmsKeyId\" is empty; give a KMS key id or ARN");
          }
          if ("SSE-KMS".equals(algorithm) && keyId == null) {
            problems.error(pointer, subject, "SSE-KMS needs \"kmsKeyId\" (a KMS key id or ARN)");
          }
          if ("AES256".equals(algorithm) && keyId != null) {
            problems.error(f.pointer("kmsKeyId"), subject, "\"kmsKeyId\" only applies to SSE-KMS; remove it or set \"algorithm\": \"SSE-KMS\"");
          }
          return new EncryptionDeclare(EncryptionMode.SSE, algorithm, keyId, null, null, null, false, null, null);
        }
        case DATASET: {
          String keyService = f.requiredText("keyService", "name the key service, e.g. \"kms\" or \"local\"");
          String footerKeyId = f.requiredText("footerKeyId", "name the key that protects the file footer");
          Map<String, List<String>> columnKeys = f.listMap("columnKeys");
          Boolean plaintextFooter = f.bool("plaintextFooter");
          return new EncryptionDeclare(EncryptionMode.DATASET, null, null, keyService, footerKeyId, columnKeys,
              Boolean.TRUE.equals(plaintextFooter), null, null);
        }
        case RECORD: {
          String keyService = f.requiredText("keyService", "name the key service, e.g. \"kms\" or \"local\"");
          List<String> columns = f.textList("columns");
          if (columns == null || columns.isEmpty()) {
            problems.error(pointer, subject, "record encryption needs \"columns\": the columns to encrypt");
          }
          String keyIdColumn = f.requiredText("keyIdColumn", "name the column holding each record's key id");
          return new EncryptionDeclare(EncryptionMode.RECORD, null, null, keyService, null, null, false, columns, keyIdColumn);
        }
        default:
          throw new IllegalStateException("Unknown encryption mode " + mode.get());
      }
    }

    private TransformerDeclare transformer(JsonNode node, String pointer, int index) {
      String type = node != null && node.path("transformerType").isTextual() ? node.get("transformerType").asText() : "?";
      String out = node != null && node.path("outputDataId").isTextual() ? node.get("outputDataId").asText() : "?";
      String subject = "pipe #" + (index + 1) + " " + type + " -> " + out;
      Fields f = Fields.of(node, pointer, subject, "a pipe declaration (an element of \"transformers\")", TRANSFORMER_KEYS, problems);
      if (f == null) {
        return null;
      }
      String name = f.text("name");
      if (name != null && name.isBlank()) {
        problems.error(f.pointer("name"), subject, "\"name\" is empty; give a name or leave the key out");
        name = null;
      }
      List<String> inputs = f.textList("inputDataId");
      if (inputs == null && !f.has("inputDataId")) {
        problems.error(pointer, subject, "\"inputDataId\" is required: the list of datasets the pipe reads, e.g. [\"InputData\"]");
      }
      String transformerType = f.requiredText("transformerType", "name a registered alias or a fully qualified class name");
      String output = f.requiredText("outputDataId", "name the dataset the pipe produces");
      ObjectNode params = null;
      if (f.has("params")) {
        if (f.raw("params").isObject()) {
          params = (ObjectNode) f.raw("params");
        } else {
          problems.error(f.pointer("params"), subject, "\"params\" must be a JSON object {...}, not " + Fields.describe(f.raw("params")));
        }
      }
      if (transformerType == null || output == null) {
        return null;
      }
      return new TransformerDeclare(name, inputs == null ? List.of() : inputs, transformerType, output, params);
    }

    private MetricDeclare metric(JsonNode node, String pointer, int index) {
      String id = node != null && node.path("metricId").isTextual() ? node.get("metricId").asText() : null;
      String subject = id != null ? "metric '" + id + "'" : "metrics[" + index + "]";
      Fields f = Fields.of(node, pointer, subject, "a metric declaration", METRIC_KEYS, problems);
      if (f == null) {
        return null;
      }
      String metricId = f.requiredText("metricId", "give every metric an id, e.g. \"metricId\": \"rowCount\"");
      String dataId = f.requiredText("dataId", "name the dataset the metric is computed on");
      String expression = f.requiredText("expression", "give a Spark SQL aggregate, e.g. \"count(1)\"");
      List<String> groupBy = f.textList("groupBy");
      String unit = f.text("unit");
      if (unit != null && !MetricDeclare.UNITS.contains(unit)) {
        Optional<String> sameIgnoringCase = MetricDeclare.UNITS.stream().filter(u -> u.equalsIgnoreCase(unit)).findFirst();
        problems.error(f.pointer("unit"), subject, "unknown unit \"" + unit + "\""
            + sameIgnoringCase.map(u -> " (did you mean '" + u + "'?)").orElse(Suggestions.didYouMean(unit, MetricDeclare.UNITS))
            + "; use a CloudWatch unit: " + String.join(", ", MetricDeclare.UNITS));
      }
      Map<String, String> dimensions = f.textMap("dimensions");
      if (metricId == null || dataId == null || expression == null) {
        return null;
      }
      return new MetricDeclare(metricId, dataId, expression, groupBy, unit, dimensions);
    }
  }

  /** The format a location's file extension implies, or null. */
  static String inferFormat(String location) {
    String path = location;
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (String compression : List.of(".gz", ".bz2", ".snappy", ".zst", ".lz4", ".deflate")) {
        if (last.endsWith(compression)) {
          last = last.substring(0, last.length() - compression.length());
          stripped = true;
        }
      }
    }
    int dot = last.lastIndexOf('.');
    return dot < 0 ? null : FORMAT_BY_EXTENSION.get(last.substring(dot + 1));
  }
}
