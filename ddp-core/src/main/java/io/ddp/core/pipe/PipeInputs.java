package io.ddp.core.pipe;

import io.ddp.core.exceptions.DdpException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipe's inputs: each declared {@code inputDataId} with its data, in declared order.
 *
 * <pre>{@code
 * Dataset<Row> reviews = inputs.get("Reviews");   // by dataId
 * Dataset<Row> first = inputs.get(0);             // by position in inputDataId
 * Dataset<Row> only = inputs.only();              // for single-input pipes
 * }</pre>
 *
 * @param <D> the data type
 */
public final class PipeInputs<D> {
  private final String pipeLabel;
  private final Map<String, D> byId;

  private PipeInputs(String pipeLabel, Map<String, D> byId) {
    this.pipeLabel = pipeLabel;
    this.byId = Collections.unmodifiableMap(byId);
  }

  /**
   * Inputs in the given order; {@code pipeLabel} names the pipe in errors.
   *
   * @throws IllegalArgumentException on a null id or data, or an id given twice
   */
  public static <D> PipeInputs<D> of(String pipeLabel, Map<String, D> inputs) {
    Map<String, D> copy = new LinkedHashMap<>();
    inputs.forEach((id, data) -> {
      if (id == null || data == null) {
        throw new IllegalArgumentException("Cannot make inputs of pipe " + pipeLabel + ": null dataId or data for '" + id + "'");
      }
      copy.put(id, data);
    });
    return new PipeInputs<>(pipeLabel, copy);
  }

  /** The input with this dataId. */
  public D get(String dataId) {
    D data = byId.get(dataId);
    if (data == null) {
      throw new DdpException("Pipe " + pipeLabel + " has no input '" + dataId + "'; its inputs are " + ids()
          + ". Add it to \"inputDataId\" in the pipeline or read one of those.");
    }
    return data;
  }

  /** The input at a 0-based position in {@code inputDataId}. */
  public D get(int position) {
    if (position < 0 || position >= byId.size()) {
      throw new DdpException("Pipe " + pipeLabel + " has no input at position " + position + "; it has " + byId.size()
          + " input(s): " + ids());
    }
    return all().get(position);
  }

  /** The single input of a one-input pipe. */
  public D only() {
    if (byId.size() != 1) {
      throw new DdpException("Pipe " + pipeLabel + " expects exactly one input but is declared with " + byId.size()
          + ": " + ids() + ". Read them by dataId with get(id), or change \"inputDataId\".");
    }
    return byId.values().iterator().next();
  }

  /** The dataIds in declared order. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /** The data in declared order. */
  public List<D> all() {
    return Collections.unmodifiableList(new ArrayList<>(byId.values()));
  }

  public int size() {
    return byId.size();
  }

  public boolean contains(String dataId) {
    return byId.containsKey(dataId);
  }
}
