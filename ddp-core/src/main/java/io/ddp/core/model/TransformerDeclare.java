package io.ddp.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One declared pipe: which datasets it reads, which type of pipe it is, which dataset it produces.
 *
 * <pre>{@code
 * {"inputDataId": ["InputData"], "transformerType": "PreprocessTransformer",
 *  "outputDataId": "IntermediateData", "params": {"textColumn": "text"}}
 * }</pre>
 *
 * @param name optional unique name, usable instead of the index on the command line; may be null
 * @param inputDataId the datasets the pipe reads, in the order the pipe receives them
 * @param transformerType a registered alias or a fully qualified class name
 * @param outputDataId the dataset the pipe produces
 * @param params free JSON object bound to the pipe's params type; never null (empty when absent)
 */
public record TransformerDeclare(
    String name, List<String> inputDataId, String transformerType, String outputDataId, ObjectNode params) {

  public TransformerDeclare {
    inputDataId = List.copyOf(Objects.requireNonNull(inputDataId, "Cannot declare a pipe: inputDataId is null"));
    Objects.requireNonNull(transformerType, "Cannot declare a pipe: transformerType is null");
    Objects.requireNonNull(outputDataId, "Cannot declare a pipe: outputDataId is null");
    params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
  }

  public TransformerDeclare(List<String> inputDataId, String transformerType, String outputDataId) {
    this(null, inputDataId, transformerType, outputDataId, null);
  }

  /** A copy of the params: the declaration itself stays immutable. */
  @Override
  public ObjectNode params() {
    return params.deepCopy();
  }

  /** The params as a read-only view for callers that promise not to modify it (avoids a copy). */
  public JsonNode paramsView() {
    return params;
  }

  /**
   * How messages name this pipe, given its 1-based position in {@code transformers}:
   * {@code #3 ModelPredictionTransformer -> PredictionData}, or with a name
   * {@code #3 'score' (ModelPredictionTransformer -> PredictionData)}.
   */
  public String label(int index) {
    String core = transformerType + " -> " + outputDataId;
    return name == null ? "#" + index + " " + core : "#" + index + " '" + name + "' (" + core + ")";
  }
}
