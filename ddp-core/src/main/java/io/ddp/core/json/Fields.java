package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict, error-collecting access to one JSON object of the pipeline file: unknown keys are reported
 * with a did-you-mean, and each accessor reports a wrong type instead of throwing, so that every
 * problem of a file is found in one pass.
 */
final class Fields {
  private final ObjectNode node;
  private final String pointer;
  private final String subject;
  private final Problems problems;

  private Fields(ObjectNode node, String pointer, String subject, Problems problems) {
    this.node = node;
    this.pointer = pointer;
    this.subject = subject;
    this.problems = problems;
  }

  /**
   * Fields of {@code value}, which must be an object whose keys are all in {@code known};
   * null (after reporting) if it is not an object.
   */
  static Fields of(JsonNode value, String pointer, String subject, String what, Collection<String> known, Problems problems) {
    if (value == null || !value.isObject()) {
      problems.error(pointer, subject, what + " must be a JSON object {...}, not " + describe(value));
      return null;
    }
    Fields fields = new Fields((ObjectNode) value, pointer, subject, problems);
    value.fieldNames().forEachRemaining(key -> {
      if (!known.contains(key)) {
        problems.error(child(pointer, key), subject, "unknown key \"" + key + "\" in " + what
            + Suggestions.didYouMean(key, known) + "; known keys: " + String.join(", ", known));
      }
    });
    return fields;
  }

  String pointer(String key) {
    return child(pointer, key);
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  JsonNode raw(String key) {
    return node.get(key);
  }

  /** A string, or null when absent; scalars other than strings are reported. */
  String text(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problems.error(pointer(key), subject, "\"" + key + "\" must be a string, not " + describe(v));
      return null;
    }
    return v.asText();
  }

  String requiredText(String key, String hint) {
    if (!has(key)) {
      problems.error(pointer, subject, "\"" + key + "\" is required; " + hint);
      return null;
    }
    String value = text(key);
    if (value != null && value.isBlank()) {
      problems.error(pointer(key), subject, "\"" + key + "\" is empty; " + hint);
      return null;
    }
    return value;
  }

  Boolean bool(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    problems.error(pointer(key), subject, "\"" + key + "\" must be true or false, not " + describe(v));
    return null;
  }

  /**
   * A list of strings. A single string is accepted as shorthand for a one-element list. Null when
   * absent, so that callers can tell "absent" from "empty".
   */
  List<String> textList(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      problems.error(pointer(key), subject, "\"" + key + "\" must be a list of strings [\"...\"], not " + describe(v));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual()) {
        problems.error(pointer(key) + "/" + i, subject, "\"" + key + "\"[" + i + "] must be a string, not " + describe(item));
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  /**
   * An object of strings. Numbers and booleans are taken as their text ({@code "header": true} means
   * {@code "true"}), because Spark options and conf are strings anyway; nested values are reported.
   */
  Map<String, String> textMap(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      problems.error(pointer(key), subject, "\"" + key + "\" must be an object of strings {\"k\": \"v\"}, not " + describe(v));
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> {
      JsonNode item = e.getValue();
      if (item.isValueNode() && !item.isNull()) {
        out.put(e.getKey(), item.asText());
      } else {
        problems.error(child(pointer(key), e.getKey()), subject, "\"" + key + "\"." + e.getKey()
            + " must be a string, number or boolean, not " + describe(item));
      }
    });
    return out;
  }

  /** An object of string lists (e.g. encryption column keys). */
  Map<String, List<String>> listMap(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    Fields inner = of(v, pointer(key), subject, "\"" + key + "\"", iterable(v), problems);
    if (inner == null) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    v.fieldNames().forEachRemaining(k -> {
      List<String> list = inner.textList(k);
      if (list != null) {
        out.put(k, list);
      }
    });
    return out;
  }

  private static List<String> iterable(JsonNode v) {
    List<String> keys = new ArrayList<>();
    v.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  static String child(String pointer, String key) {
    return pointer + "/" + LocatedTree.escape(key);
  }

  static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "the string \"" + v.asText() + "\"";
    }
    if (v.isNumber()) {
      return "the number " + v.asText();
    }
    if (v.isBoolean()) {
      return v.asText();
    }
    if (v.isArray()) {
      return "a list";
    }
    return "an object";
  }
}
