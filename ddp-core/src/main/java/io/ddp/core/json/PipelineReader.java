package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.MetricsConfig;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.SourceMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
  static final List<String> KEYS =
      List.of("name", "description", "variables", "spark", "data", "transformers", "metrics", "metricsConfig");
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

  /**
   * Reads pipeline text fetched from a location that is not a local file (say {@code s3a://b/p/scoring.json}).
   *
   * @param json the file's text
   * @param location the file's location, as messages name it; its last path segment gives the default name
   * @param directory the value of {@code ${pipeline.dir}}: the location's parent, as a URI
   * @param overrides {@code --var} values
   */
  public static Result read(String json, String location, String directory, Map<String, String> overrides) {
    String path = location.replaceAll("/+$", "");
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    String defaultName = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    return read(json, location, defaultName, overrides, Map.of(PIPELINE_DIR, directory), System::getenv);
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
      Fields top = Fields.of(root, "", "pipeline", "the pipeline", KEYS, problems);
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
      List<DataDeclare> data = list(top, "data", new DataReader(problems)::read);
      List<TransformerDeclare> transformers = list(top, "transformers", new PipeReader(problems)::read);
      List<MetricDeclare> metrics = list(top, "metrics", new MetricReader(problems)::read);
      if (!top.has("data")) {
        problems.error("", "pipeline", "\"data\" is missing; declare the datasets as \"data\": [{\"dataId\": ...}]");
      }
      if (!top.has("transformers")) {
        problems.error("", "pipeline", "\"transformers\" is missing; declare the pipes as \"transformers\": [{\"inputDataId\": ...}]");
      }
      MetricsConfig metricsConfig = top.has("metricsConfig") ? new MetricsConfigReader(problems).read(top.raw("metricsConfig"), top.pointer("metricsConfig")) : null;
      return new PipelineDeclare(name == null || name.isBlank() ? defaultName : name, effectiveVars, spark,
          data, transformers, metrics, metricsConfig);
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

  }
}
