package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.validate.Problems;
import java.util.List;

/** Reads one element of {@code "transformers"} (a pipe) into a {@link TransformerDeclare}; owns the pipe keys. */
final class PipeReader {
  static final List<String> KEYS = List.of("name", "inputDataId", "transformerType", "outputDataId", "params");

  private final Problems problems;

  PipeReader(Problems problems) {
    this.problems = problems;
  }

  TransformerDeclare read(JsonNode node, String pointer, int index) {
    String type = node != null && node.path("transformerType").isTextual() ? node.get("transformerType").asText() : "?";
    String out = node != null && node.path("outputDataId").isTextual() ? node.get("outputDataId").asText() : "?";
    String subject = "pipe #" + (index + 1) + " " + type + " -> " + out;
    Fields f = Fields.of(node, pointer, subject, "a pipe declaration (an element of \"transformers\")", KEYS, problems);
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
}
