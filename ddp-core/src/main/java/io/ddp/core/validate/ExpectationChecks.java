package io.ddp.core.validate;

import static io.ddp.core.validate.Subjects.dataPointer;
import static io.ddp.core.validate.Subjects.dataset;

import io.ddp.core.graph.DataGraph;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.ExpectationDeclare.Action;
import io.ddp.core.model.ExpectationDeclare.Kind;
import io.ddp.core.model.PipelineDeclare;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declarative rules of data expectations (no Spark): names, conditions given, actions that fit
 * the kind, a place for quarantined rows. Whether an expression parses, is boolean and names existing
 * columns is checked with the schemas, by the Spark module's static schema check.
 */
final class ExpectationChecks {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private ExpectationChecks() {}

  static void check(PipelineDeclare pipeline, DataGraph graph, Problems problems) {
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      Map<String, Integer> names = new HashMap<>();
      for (int j = 0; j < d.expectations().size(); j++) {
        ExpectationDeclare e = d.expectations().get(j);
        String pointer = dataPointer(i) + "/expectations/" + j;
        String subject = dataset(d.dataId());
        String what = "expectation '" + e.name() + "'";
        if (!NAME.matcher(e.name()).matches()) {
          problems.error(pointer + "/name", subject, "invalid expectation name '" + e.name()
              + "': use letters, digits and '_', starting with a letter");
        }
        Integer before = names.putIfAbsent(e.name(), j);
        if (before != null) {
          problems.error(pointer, subject, what + " is declared twice (expectations[" + before + "] and expectations[" + j
              + "]); give one a \"name\" of its own");
        }
        conditionGiven(e, pointer, subject, what, problems);
        if (e.kind() == Kind.ROW_COUNT && (e.onViolation() == Action.DROP || e.onViolation() == Action.QUARANTINE)) {
          problems.error(pointer + "/onViolation", subject, what + " checks the number of rows, so no row can be "
              + (e.onViolation() == Action.DROP ? "dropped" : "quarantined") + " for it; use \"warn\" or \"fail\"");
        }
        if (e.onViolation() == Action.QUARANTINE && d.quarantine() == null && !d.hasLocation()) {
          problems.error(pointer + "/onViolation", subject, what + " quarantines rows, but '" + d.dataId()
              + "' has no location to put them beside; declare \"quarantine\": \"<dataId of a dataset with a location>\" on '"
              + d.dataId() + "'");
        }
      }
      boolean quarantines = d.expectations().stream().anyMatch(e -> e.onViolation() == Action.QUARANTINE);
      DataDeclare target = d.quarantine() == null ? null : pipeline.data().stream().filter(t -> t.dataId().equals(d.quarantine()))
          .findFirst().orElse(null);
      if (quarantines && d.encryption() != null && (target == null || target.encryption() == null)) {
        problems.error(dataPointer(i) + "/expectations", dataset(d.dataId()), "'" + d.dataId() + "' is encrypted, and its quarantine"
            + " expectations would write its rows in clear to " + (target == null ? "the default quarantine location"
            : "'" + target.dataId() + "'") + "; declare \"quarantine\": \"<dataId>\" naming a dataset with \"encryption\"");
      }
      if (graph.producer(d.dataId()) == null && !d.hasLocation() && !d.expectations().isEmpty()) {
        problems.warning(dataPointer(i) + "/expectations", dataset(d.dataId()), "has expectations but never holds data");
      }
    }
  }

  private static void conditionGiven(ExpectationDeclare e, String pointer, String subject, String what, Problems problems) {
    switch (e.kind()) {
      case EXPECT:
        if (e.expression() == null || e.expression().isBlank()) {
          problems.error(pointer + "/expect", subject, what + " has an empty condition; give a boolean Spark SQL expression,"
              + " e.g. \"length(text) > 0\"");
        }
        break;
      case ROW_COUNT:
        if (e.min() == null && e.max() == null) {
          problems.error(pointer + "/rowCount", subject, what + " gives neither \"min\" nor \"max\"; e.g. {\"min\": 1}");
        } else if (e.min() != null && e.max() != null && e.min() > e.max()) {
          problems.error(pointer + "/rowCount", subject, what + ": min " + e.min() + " is greater than max " + e.max());
        } else if ((e.min() != null && e.min() < 0) || (e.max() != null && e.max() < 0)) {
          problems.error(pointer + "/rowCount", subject, what + ": a number of rows cannot be negative");
        }
        break;
      case ACCEPTED_VALUES:
        if (e.values().isEmpty()) {
          problems.error(pointer + "/acceptedValues", subject, what + " accepts no value; list them, e.g. [\"en\", \"de\"]");
        }
        if (e.columns().size() != 1 || e.columns().get(0).isBlank()) {
          problems.error(pointer + "/column", subject, what + " needs exactly one \"column\"");
        }
        break;
      default:
        Set<String> seen = new HashSet<>();
        if (e.columns().isEmpty()) {
          problems.error(pointer + "/" + e.kind().jsonName(), subject, what + " names no column; e.g. [\"id\"]");
        }
        for (String c : e.columns()) {
          if (c.isBlank() || !seen.add(c)) {
            problems.error(pointer + "/" + e.kind().jsonName(), subject, what + (c.isBlank() ? " names an empty column"
                : " names column '" + c + "' twice"));
          }
        }
        break;
    }
  }
}
