package io.ddp.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.SourceMap;
import io.ddp.core.validate.SourcePosition;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Parses JSON into a Jackson tree while recording where every member and element starts, because
 * Jackson's trees forget positions and our errors must name the line and column.
 */
final class LocatedTree {
  /** Pointer under which a syntax error's position is recorded. */
  static final String SYNTAX_POINTER = "/!syntax";

  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final SourceMap.Builder positions;
  private final Problems problems;

  private LocatedTree(SourceMap.Builder positions, Problems problems) {
    this.positions = positions;
    this.problems = problems;
  }

  /** The root node, or null after a syntax error (which is added to {@code problems}). */
  static JsonNode parse(String text, SourceMap.Builder positions, Problems problems) {
    LocatedTree tree = new LocatedTree(positions, problems);
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        positions.put(SYNTAX_POINTER, new SourcePosition(1, 1));
        problems.error(SYNTAX_POINTER, "pipeline", "the file is empty; a pipeline is a JSON object with \"data\" and \"transformers\"");
        return null;
      }
      JsonNode root = tree.value(parser, "");
      JsonToken extra = parser.nextToken();
      if (extra != null) {
        positions.put(SYNTAX_POINTER, position(parser.currentTokenLocation()));
        problems.error(SYNTAX_POINTER, "pipeline", "unexpected content after the end of the pipeline object; remove it");
        return null;
      }
      return root;
    } catch (JsonProcessingException e) {
      positions.put(SYNTAX_POINTER, position(e.getLocation()));
      problems.error(SYNTAX_POINTER, "pipeline", "invalid JSON: " + e.getOriginalMessage());
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode value(JsonParser parser, String pointer) throws IOException {
    JsonToken token = parser.currentToken();
    positions.put(pointer, position(parser.currentTokenLocation()));
    switch (token) {
      case START_OBJECT: {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = pointer + "/" + escape(name);
          SourcePosition keyPosition = position(parser.currentTokenLocation());
          boolean duplicate = object.has(name);
          if (duplicate) {
            // Record the duplicate's own position under a distinct pointer so the error points at it.
            String dupPointer = child + "/!duplicate";
            positions.put(dupPointer, keyPosition);
            problems.error(dupPointer, "pipeline", "key \"" + name + "\" appears twice in the same object (at "
                + pointer(pointer) + "); keep one");
          } else {
            positions.put(child, keyPosition);
          }
          parser.nextToken();
          JsonNode v = value(parser, duplicate ? child + "/!duplicate" : child);
          if (!duplicate) {
            object.set(name, v);
          }
        }
        return object;
      }
      case START_ARRAY: {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser, pointer + "/" + i));
          i++;
        }
        return array;
      }
      case VALUE_STRING:
        return NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        switch (parser.getNumberType()) {
          case INT:
            return NODES.numberNode(parser.getIntValue());
          case LONG:
            return NODES.numberNode(parser.getLongValue());
          default:
            return NODES.numberNode(exactly(parser, () -> parser.getBigIntegerValue()));
        }
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(exactly(parser, () -> parser.getDecimalValue()));
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IllegalStateException("Unexpected JSON token " + token + " at " + pointer);
    }
  }

  private interface NumberRead<T> {
    T read() throws IOException;
  }

  /** A number Jackson can read exactly, or a located syntax error: {@code 1e999999999} cannot be held. */
  private static <T> T exactly(JsonParser parser, NumberRead<T> read) throws IOException {
    try {
      return read.read();
    } catch (NumberFormatException | ArithmeticException e) {
      String text = parser.getText();
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "the number " + (text.length() > 40 ? text.substring(0, 40) + "..."
          : text) + " is out of range; write a smaller number, or a string", parser.currentTokenLocation());
    }
  }

  static SourcePosition position(JsonLocation location) {
    if (location == null) {
      return new SourcePosition(1, 1);
    }
    return new SourcePosition(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String pointer(String pointer) {
    return pointer.isEmpty() ? "the top level" : pointer;
  }
}
