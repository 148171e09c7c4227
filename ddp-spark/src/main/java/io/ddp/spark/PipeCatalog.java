package io.ddp.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.pipe.ParamsSchema;
import io.ddp.core.pipe.PipeParams;
import io.ddp.core.pipe.PipeRegistration;
import io.ddp.core.pipe.PipeTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipes on the class path, as a catalog: each registered type with its class, description, the
 * JSON Schema of its params ({@link ParamsSchema}) and its contract (which checks it states, and how
 * DDP learns its output schema). {@code ddp pipes --json} and {@code ddp describe} print it; the
 * pipeline JSON Schema for editors is generated from it ({@link #pipelineSchema()}).
 */
public final class PipeCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE_SCHEMA = "io/ddp/core/json/pipeline.schema.json";

  private final PipeTypes types;

  public PipeCatalog(PipeTypes types) {
    this.types = types;
  }

  /** The catalog of the pipes the class loader's providers register. */
  public static PipeCatalog load(ClassLoader loader) {
    return new PipeCatalog(SparkPipe.types(loader));
  }

  /**
   * One pipe type.
   *
   * @param type the alias, or the class name of an unregistered pipe
   * @param pipeClass the class
   * @param description one line; empty when the registration gives none
   * @param params the JSON Schema of its params
   * @param contract what it states: {@code checksParams} ({@code true}/{@code false}),
   *     {@code requiredColumns} ({@code stated}/{@code not stated}), {@code outputSchema}
   *     ({@code stated}, {@code derived on empty inputs}, or {@code not derived: } and the class's reason)
   */
  public record Entry(String type, Class<?> pipeClass, String description, ObjectNode params, Map<String, String> contract) {
    public ObjectNode toJson() {
      ObjectNode n = JSON.createObjectNode();
      n.put("type", type);
      n.put("class", pipeClass.getName());
      n.put("description", description);
      n.set("params", params);
      ObjectNode c = n.putObject("contract");
      contract.forEach(c::put);
      return n;
    }
  }

  /** Every registered pipe, by alias. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (PipeRegistration r : types.registrations()) {
      try {
        out.add(entry(r.alias(), r.pipeClass(), r.description()));
      } catch (RuntimeException | LinkageError e) { // a pipe whose class cannot be inspected (a missing dependency)
        Map<String, String> contract = Map.of("error", "cannot inspect the class: " + io.ddp.core.text.Messages.rootCause(e));
        out.add(new Entry(r.alias(), r.pipeClass(), r.description(), JSON.createObjectNode(), contract));
      }
    }
    return out;
  }

  /**
   * The entry of a type as a pipeline names it: an alias or a class name.
   *
   * @throws io.ddp.core.exceptions.DdpException naming the closest aliases when it resolves to nothing
   */
  public Entry describe(String transformerType) {
    Class<?> cls = types.resolve(transformerType);
    String description = types.registrations().stream().filter(r -> r.pipeClass().equals(cls)).map(PipeRegistration::description)
        .filter(d -> !d.isEmpty()).findFirst().orElse("");
    return entry(transformerType, cls, description);
  }

  private static Entry entry(String type, Class<?> cls, String description) {
    Map<String, String> contract = new java.util.LinkedHashMap<>();
    contract.put("checksParams", String.valueOf(PipeTypes.overrides(cls, "check")));
    contract.put("requiredColumns", PipeTypes.overrides(cls, "requiredColumns") ? "stated" : "not stated");
    NoSchemaDerivation optOut = cls.getAnnotation(NoSchemaDerivation.class);
    contract.put("outputSchema", PipeTypes.overrides(cls, "outputSchema") ? "stated"
        : optOut != null ? "not derived: " + optOut.value() : "derived on empty inputs");
    return new Entry(type, cls, description, ParamsSchema.of(PipeParams.paramsType(cls)), contract);
  }

  /** The catalog as JSON: {@code {"pipes": [entry, ...]}}. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode pipes = root.putArray("pipes");
    entries().forEach(e -> pipes.add(e.toJson()));
    return root;
  }

  /**
   * The pipeline file's JSON Schema with each registered pipe's params: an editor then completes and
   * checks {@code params} by {@code transformerType} (alias or class name). Where a param is a number
   * or a boolean, a string is accepted too, for {@code ${variables}}.
   */
  public ObjectNode pipelineSchema() {
    ObjectNode schema;
    try (InputStream in = PipeCatalog.class.getClassLoader().getResourceAsStream(BASE_SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException("ddp-core is missing its resource " + BASE_SCHEMA);
      }
      schema = (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode transformer = (ObjectNode) schema.get("$defs").get("transformer");
    ArrayNode byType = transformer.putArray("allOf");
    for (Entry e : entries()) {
      ObjectNode rule = byType.addObject();
      ObjectNode when = rule.putObject("if");
      ArrayNode names = when.putObject("properties").putObject("transformerType").putArray("enum");
      names.add(e.type());
      names.add(e.pipeClass().getName());
      when.putArray("required").add("transformerType");
      rule.putObject("then").putObject("properties").set("params", variablesAllowed(e.params().deepCopy()));
    }
    return schema;
  }

  private static JsonNode variablesAllowed(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode type = o.get("type");
      if (type != null && type.isTextual() && List.of("integer", "number", "boolean").contains(type.asText())) {
        ArrayNode both = JSON.createArrayNode().add(type.asText()).add("string");
        o.set("type", both);
      }
      o.fields().forEachRemaining(f -> variablesAllowed(f.getValue()));
    } else if (node instanceof ArrayNode a) {
      a.forEach(PipeCatalog::variablesAllowed);
    }
    return node;
  }
}
