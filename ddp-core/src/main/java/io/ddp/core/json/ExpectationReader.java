package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.ExpectationDeclare.Action;
import io.ddp.core.model.ExpectationDeclare.Kind;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a dataset's {@code "expectations"} into {@link ExpectationDeclare}s; owns their keys. The
 * rules that need no JSON (names, actions per kind, quarantine targets) are in
 * {@link io.ddp.core.validate.ExpectationChecks}, so that declarations built in Java are checked alike.
 */
final class ExpectationReader {
  static final List<String> KINDS = Arrays.stream(Kind.values()).map(Kind::jsonName).toList();
  static final List<String> KEYS;

  static {
    List<String> keys = new ArrayList<>(List.of("name"));
    keys.addAll(KINDS);
    keys.addAll(List.of("column", "onViolation", "description"));
    KEYS = List.copyOf(keys);
  }

  private final Problems problems;

  ExpectationReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * The expectations of the list at {@code pointer}, every malformed one reported. Only those before
   * the first malformed one are returned, so that later checks point at the right JSON element.
   */
  List<ExpectationDeclare> readAll(JsonNode list, String pointer, String subject) {
    List<ExpectationDeclare> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      problems.error(pointer, subject, "\"expectations\" must be a list [{...}], not " + Fields.describe(list));
      return out;
    }
    boolean complete = true;
    for (int i = 0; i < list.size(); i++) {
      int before = problems.errorCount();
      ExpectationDeclare e = read(list.get(i), pointer + "/" + i, subject);
      complete &= e != null && problems.errorCount() == before;
      if (complete) {
        out.add(e);
      }
    }
    return out;
  }

  private ExpectationDeclare read(JsonNode node, String pointer, String subject) {
    Fields f = Fields.of(node, pointer, subject, "an expectation", KEYS, problems);
    if (f == null) {
      return null;
    }
    List<String> kinds = KINDS.stream().filter(f::has).toList();
    if (kinds.size() != 1) {
      problems.error(pointer, subject, (kinds.isEmpty() ? "the expectation states no condition" : "the expectation states "
          + kinds.size() + " conditions (" + String.join(", ", kinds) + ")") + "; give exactly one of " + String.join(", ", KINDS)
          + ", e.g. {\"name\": \"hasText\", \"expect\": \"length(text) > 0\"}");
      return null;
    }
    Kind kind = Kind.fromJson(kinds.get(0)).orElseThrow();
    String name = f.text("name");
    f.text("description");
    Action action = null;
    String actionText = f.text("onViolation");
    if (actionText != null) {
      List<String> names = Arrays.stream(Action.values()).map(Action::jsonName).toList();
      action = Action.fromJson(actionText).orElse(null);
      if (action == null) {
        problems.error(f.pointer("onViolation"), subject, "invalid onViolation \"" + actionText + "\""
            + Suggestions.didYouMean(actionText, names) + "; use one of " + String.join(", ", names));
        return null;
      }
    }
    String column = f.text("column");
    if (column != null && kind != Kind.ACCEPTED_VALUES) {
      problems.error(f.pointer("column"), subject, "\"column\" belongs to acceptedValues; " + kind.jsonName()
          + " names its columns itself, e.g. {\"" + kind.jsonName() + "\": [\"id\"]}");
      return null;
    }
    switch (kind) {
      case EXPECT: {
        String expression = f.requiredText("expect", "give a boolean Spark SQL expression, e.g. \"length(text) > 0\"");
        if (expression == null) {
          return null;
        }
        if (name == null) {
          problems.error(pointer, subject, "an \"expect\" expectation needs a \"name\" (it names the violations in the report,"
              + " the metrics and the quarantine), e.g. \"name\": \"hasText\"");
          return null;
        }
        return ExpectationDeclare.expect(name, expression, action);
      }
      case ACCEPTED_VALUES: {
        if (column == null) {
          problems.error(pointer, subject, "acceptedValues needs the \"column\" it checks, e.g. {\"column\": \"lang\","
              + " \"acceptedValues\": [\"en\", \"de\"]}");
          return null;
        }
        List<Object> values = values(f.raw("acceptedValues"), f.pointer("acceptedValues"), subject);
        return values == null ? null : new ExpectationDeclare(name, kind, null, List.of(column), values, null, null, action);
      }
      case ROW_COUNT: {
        JsonNode range = f.raw("rowCount");
        Fields r = Fields.of(range, f.pointer("rowCount"), subject, "\"rowCount\"", List.of("min", "max"), problems);
        if (r == null) {
          return null;
        }
        Long min = count(r, "min", subject);
        Long max = count(r, "max", subject);
        return new ExpectationDeclare(name, kind, null, null, null, min, max, action);
      }
      default: {
        List<String> columns = f.textList(kind.jsonName());
        return columns == null ? null : new ExpectationDeclare(name, kind, null, columns, null, null, null, action);
      }
    }
  }

  private List<Object> values(JsonNode v, String pointer, String subject) {
    if (!v.isArray()) {
      problems.error(pointer, subject, "\"acceptedValues\" must be a list of values [\"en\", \"de\"], not " + Fields.describe(v));
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (item.isTextual()) {
        out.add(item.asText());
      } else if (item.isIntegralNumber()) {
        out.add(item.bigIntegerValue());
      } else if (item.isNumber()) {
        out.add(item.decimalValue());
      } else if (item.isBoolean()) {
        out.add(item.booleanValue());
      } else {
        problems.error(pointer + "/" + i, subject, "acceptedValues[" + i + "] must be a string, number or boolean, not "
            + Fields.describe(item));
        return null;
      }
    }
    return out;
  }

  /** A whole number of rows, also as text (a ${variable}); null when absent or invalid (reported). */
  private Long count(Fields r, String key, String subject) {
    JsonNode v = r.raw(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.canConvertToLong() && v.isIntegralNumber() && v.longValue() >= 0) {
      return v.longValue();
    }
    if (v.isTextual() && v.asText().trim().matches("\\d+")) {
      try {
        return Long.parseLong(v.asText().trim());
      } catch (NumberFormatException e) {
        // too large: reported below
      }
    }
    problems.error(r.pointer(key), subject, "rowCount " + key + " must be a whole number of rows, not " + Fields.describe(v));
    return null;
  }
}
