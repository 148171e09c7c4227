package io.ddp.studio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline file's text, and how to write an edited pipeline back with as little change as possible:
 * what was not edited keeps its exact text (key order, spacing, {@code ${...}} variables, number
 * spellings, keys the studio does not know); an edited top-level member is rewritten, and in the
 * {@code data}, {@code transformers} and {@code metrics} arrays only the edited, added or removed
 * entries change: an edited entry keeps its layout and only its changed values are rewritten, an
 * added one is one compact line, as the reference pipelines are written.
 */
final class PipelineText {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final List<String> LISTS = List.of("data", "transformers", "metrics");

  /** A top-level member: where its text starts (its key) and ends (its value), and its value's elements' spans. */
  private record Member(String key, int start, int valueStart, int end, List<int[]> elements) {}

  private final String text;
  private final ObjectNode root;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final String memberIndent;
  private final String newline;

  private PipelineText(String text, ObjectNode root) {
    this.text = text;
    this.root = root;
    this.newline = text.contains("\r\n") ? "\r\n" : "\n";
    String indent = "  ";
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("Cannot edit the pipeline: its JSON is not an object");
      }
      boolean first = true;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (first) {
          int lineStart = text.lastIndexOf('\n', start - 1) + 1;
          String lead = text.substring(lineStart, start);
          indent = lead.isBlank() && !lead.isEmpty() ? lead : "  ";
          first = false;
        }
        JsonToken value = p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getCharOffset();
        List<int[]> elements = new ArrayList<>();
        if (value == JsonToken.START_ARRAY) {
          JsonToken t;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int s = (int) p.currentTokenLocation().getCharOffset();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
              p.skipChildren();
            } else {
              p.finishToken(); // a string is read lazily: its end is known once it is
            }
            elements.add(new int[] {s, (int) p.currentLocation().getCharOffset()});
          }
        } else if (value == JsonToken.START_OBJECT) {
          p.skipChildren();
        } else {
          p.finishToken();
        }
        members.put(key, new Member(key, start, valueStart, (int) p.currentLocation().getCharOffset(), elements));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot edit the pipeline: " + e.getMessage(), e);
    }
    this.memberIndent = indent;
  }

  /** Parses a pipeline file's text (not substituted: variables stay {@code ${...}}). */
  static PipelineText of(String text) {
    JsonNode node = Json.read(text);
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("Cannot edit the pipeline: its JSON is not an object");
    }
    return new PipelineText(text, o);
  }

  String text() {
    return text;
  }

  /** The pipeline as the file has it. */
  ObjectNode root() {
    return root.deepCopy();
  }

  /** The text of {@code edited}: this file's text where nothing changed. */
  String write(ObjectNode edited) {
    if (edited.equals(root)) {
      return text;
    }
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, JsonNode> f : edited.properties()) {
      sb.append(first ? "" : ",").append(newline).append(memberIndent);
      first = false;
      Member m = members.get(f.getKey());
      JsonNode before = root.get(f.getKey());
      if (m != null && f.getValue().equals(before)) {
        sb.append(text, m.start(), m.end());
      } else if (m != null && LISTS.contains(f.getKey()) && f.getValue().isArray() && before != null && before.isArray()) {
        sb.append(text, m.start(), m.valueStart()).append(list((ArrayNode) f.getValue(), (ArrayNode) before, m));
      } else if (m != null && before != null && before.isObject() && f.getValue().isObject()) {
        sb.append(text, m.start(), m.valueStart()).append(patch(before, m.valueStart(), m.end(), f.getValue()));
      } else {
        sb.append(Json.write(f.getKey())).append(": ").append(value(f.getValue(), memberIndent));
      }
    }
    sb.append(newline).append('}');
    return sb.append(text.endsWith("\n") ? newline : "").toString();
  }

  /** An edited list: its unchanged entries as written, the others one compact line each. */
  private String list(ArrayNode now, ArrayNode before, Member m) {
    if (now.isEmpty()) {
      return "[]";
    }
    String indent = memberIndent + memberIndent;
    if (!m.elements().isEmpty()) {
      int s = m.elements().get(0)[0];
      int lineStart = text.lastIndexOf('\n', s - 1) + 1;
      String lead = text.substring(lineStart, s);
      if (lead.isBlank() && !lead.isEmpty()) {
        indent = lead;
      }
    }
    // Each unchanged entry reuses the text of the first equal entry not used yet.
    boolean[] used = new boolean[before.size()];
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < now.size(); i++) {
      JsonNode e = now.get(i);
      String written = null;
      for (int j = 0; j < before.size() && written == null; j++) {
        if (!used[j] && before.get(j).equals(e)) {
          used[j] = true;
          written = text.substring(m.elements().get(j)[0], m.elements().get(j)[1]);
        }
      }
      if (written == null && i < before.size() && !used[i]) {
        // The entry at the same place, edited: only what changed in it is rewritten.
        used[i] = true;
        written = patch(before.get(i), m.elements().get(i)[0], m.elements().get(i)[1], e);
      }
      sb.append(i == 0 ? "" : ",").append(newline).append(indent).append(written != null ? written : compact(e));
    }
    return sb.append(newline).append(memberIndent).append(']').toString();
  }

  /**
   * The text of {@code now}, which replaces {@code before} written at {@code text[start, end)}: equal
   * values keep their text; in an object, kept members keep their key, spacing and line breaks and
   * only their changed values are rewritten (recursively), removed members go with their separator,
   * added ones are appended; an array of the same length is patched element by element; anything
   * else is written compact.
   */
  String patch(JsonNode before, int start, int end, JsonNode now) {
    if (before.equals(now)) {
      return text.substring(start, end);
    }
    if (before.isObject() && now.isObject()) {
      List<int[]> spans = spans(start, end, true); // keyStart, valueStart, valueEnd
      List<String> keys = new ArrayList<>();
      before.fieldNames().forEachRemaining(keys::add);
      if (spans.size() != keys.size()) {
        return compact(now);
      }
      StringBuilder sb = new StringBuilder("{");
      int emitted = 0;
      for (Map.Entry<String, JsonNode> f : now.properties()) {
        int i = keys.indexOf(f.getKey());
        if (i >= 0) {
          int[] span = spans.get(i);
          int gapStart = i == 0 ? start + 1 : spans.get(i - 1)[2];
          String gap = text.substring(gapStart, span[0]);
          if (emitted == 0) {
            gap = text.substring(start + 1, spans.get(0)[0]); // spaced as the first member was
          } else if (!gap.contains(",")) {
            gap = "," + (gap.isEmpty() ? " " : gap);
          }
          sb.append(gap).append(text, span[0], span[1]).append(patch(before.get(f.getKey()), span[1], span[2], f.getValue()));
        } else {
          sb.append(emitted == 0 ? "" : ", ").append(Json.write(f.getKey())).append(": ").append(compact(f.getValue()));
        }
        emitted++;
      }
      String close = spans.isEmpty() ? text.substring(start + 1, end - 1) : text.substring(spans.get(spans.size() - 1)[2], end - 1);
      return sb.append(close.isBlank() ? close : "").append('}').toString();
    }
    if (before.isArray() && now.isArray() && before.size() == now.size() && !now.isEmpty()) {
      List<int[]> spans = spans(start, end, false);
      if (spans.size() != before.size()) {
        return compact(now);
      }
      StringBuilder sb = new StringBuilder(text.substring(start, spans.get(0)[1]));
      for (int i = 0; i < spans.size(); i++) {
        sb.append(patch(before.get(i), spans.get(i)[1], spans.get(i)[2], now.get(i)));
        sb.append(text, spans.get(i)[2], i + 1 < spans.size() ? spans.get(i + 1)[1] : end);
      }
      return sb.toString();
    }
    return compact(now);
  }

  /** The members (or elements) of the object (or array) at {@code text[start, end)}: {keyStart, valueStart, valueEnd}. */
  private List<int[]> spans(int start, int end, boolean object) {
    List<int[]> out = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(text.substring(start, end))) {
      p.nextToken();
      while (true) {
        JsonToken t = p.nextToken();
        if (t == null || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          break;
        }
        int keyStart = start + (int) p.currentTokenLocation().getCharOffset();
        if (object) {
          t = p.nextToken();
        }
        int valueStart = start + (int) p.currentTokenLocation().getCharOffset();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else {
          p.finishToken();
        }
        out.add(new int[] {keyStart, valueStart, start + (int) p.currentLocation().getCharOffset()});
      }
    } catch (IOException e) {
      return List.of();
    }
    return out;
  }

  /** A value of a top-level member: scalars and small values on one line, else one entry per line. */
  private String value(JsonNode v, String indent) {
    String line = compact(v);
    if (line.length() <= 100 || !(v.isObject() || v.isArray())) {
      return line;
    }
    String inner = indent + memberIndent;
    StringBuilder sb = new StringBuilder(v.isObject() ? "{" : "[");
    int i = 0;
    if (v.isObject()) {
      for (Map.Entry<String, JsonNode> f : v.properties()) {
        sb.append(i++ == 0 ? "" : ",").append(newline).append(inner).append(Json.write(f.getKey())).append(": ").append(compact(f.getValue()));
      }
    } else {
      for (JsonNode e : v) {
        sb.append(i++ == 0 ? "" : ",").append(newline).append(inner).append(compact(e));
      }
    }
    return sb.append(newline).append(indent).append(v.isObject() ? '}' : ']').toString();
  }

  /** One line, spaced as people write JSON: {@code {"a": 1, "b": [1, 2]}}. */
  static String compact(JsonNode v) {
    if (v.isObject()) {
      StringBuilder sb = new StringBuilder("{");
      int i = 0;
      for (Map.Entry<String, JsonNode> f : v.properties()) {
        sb.append(i++ == 0 ? "" : ", ").append(Json.write(f.getKey())).append(": ").append(compact(f.getValue()));
      }
      return sb.append('}').toString();
    }
    if (v.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      int i = 0;
      for (JsonNode e : v) {
        sb.append(i++ == 0 ? "" : ", ").append(compact(e));
      }
      return sb.append(']').toString();
    }
    return Json.write(v);
  }
}
