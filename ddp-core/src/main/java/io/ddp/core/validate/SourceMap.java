package io.ddp.core.validate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each element of a pipeline file stands: JSON pointer ({@code /transformers/2/inputDataId/0})
 * to the line and column where that member or array element starts.
 */
public final class SourceMap {
  /** A map that knows no positions, for pipelines built in code. */
  public static final SourceMap EMPTY = new SourceMap("<code>", Map.of());

  private final String sourceName;
  private final Map<String, SourcePosition> positions;

  SourceMap(String sourceName, Map<String, SourcePosition> positions) {
    this.sourceName = sourceName;
    this.positions = Map.copyOf(positions);
  }

  /** The file the positions refer to, as the user named it. */
  public String sourceName() {
    return sourceName;
  }

  /** The position of the pointer, or of its nearest ancestor that has one. */
  public Optional<SourcePosition> find(String pointer) {
    String p = pointer == null ? "" : pointer;
    while (true) {
      SourcePosition pos = positions.get(p);
      if (pos != null) {
        return Optional.of(pos);
      }
      if (p.isEmpty()) {
        return Optional.empty();
      }
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "" : p.substring(0, slash);
    }
  }

  /** {@code file.json:12:5}, or just the file name when the pointer has no position. */
  public String describe(String pointer) {
    return find(pointer).map(pos -> sourceName + ":" + pos).orElse(sourceName);
  }

  /** Collects positions while a reader parses a file; the first position given for a pointer stays. */
  public static final class Builder {
    private final Map<String, SourcePosition> positions = new HashMap<>();

    public void put(String pointer, SourcePosition position) {
      positions.putIfAbsent(pointer, position);
    }

    public SourceMap build(String sourceName) {
      return new SourceMap(sourceName, positions);
    }
  }
}
