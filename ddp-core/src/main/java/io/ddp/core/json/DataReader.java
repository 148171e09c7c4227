package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.MergeDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads one element of {@code "data"} into a {@link DataDeclare}; owns the dataset keys. */
final class DataReader {
  static final List<String> KEYS =
      List.of("dataId", "location", "format", "schema", "options", "mode", "partitionBy", "encryption", "persist",
          "schemaPolicy", "badRecords", "quarantine", "expectations", "merge");

  private final Problems problems;

  DataReader(Problems problems) {
    this.problems = problems;
  }

  DataDeclare read(JsonNode node, String pointer, int index) {
    String id = node != null && node.isObject() && node.path("dataId").isTextual() ? node.get("dataId").asText() : null;
    String subject = id != null ? "dataset '" + id + "'" : "data[" + index + "]";
    Fields f = Fields.of(node, pointer, subject, "a dataset declaration", KEYS, problems);
    if (f == null) {
      return null;
    }
    String dataId = f.requiredText("dataId", "give every dataset an id, e.g. \"dataId\": \"Reviews\"");
    String location = f.text("location");
    if (location != null && location.isBlank()) {
      problems.error(f.pointer("location"), subject, "\"location\" is empty; give a path or URI, or leave the key out for in-memory data");
      location = null;
    }
    // Without "format", the model infers it from the location's name (DataDeclare.inferFormat).
    String format = f.text("format");
    String schema = f.text("schema");
    Map<String, String> options = f.textMap("options");
    WriteMode mode = null;
    String modeText = f.text("mode");
    if (modeText != null) {
      Optional<WriteMode> parsed = WriteMode.fromJson(modeText);
      if (parsed.isEmpty()) {
        List<String> names = Arrays.stream(WriteMode.values()).map(WriteMode::jsonName).collect(Collectors.toList());
        problems.error(f.pointer("mode"), subject, "invalid mode \"" + modeText + "\"" + Suggestions.didYouMean(modeText, names)
            + "; use one of " + String.join(", ", names));
      } else {
        mode = parsed.get();
      }
    }
    List<String> partitionBy = f.textList("partitionBy");
    EncryptionDeclare encryption = f.has("encryption") ? new EncryptionReader(problems).read(f.raw("encryption"), f.pointer("encryption"), subject) : null;
    String persist = f.text("persist");
    if (persist != null && persist.isBlank()) {
      problems.error(f.pointer("persist"), subject, "\"persist\" is empty; use auto, none or a Spark storage level such as MEMORY_AND_DISK");
      persist = null;
    }
    String schemaPolicy = choice(f, "schemaPolicy", subject, List.of(DataDeclare.SCHEMA_FAIL, DataDeclare.SCHEMA_CAST,
        DataDeclare.SCHEMA_EVOLVE));
    String badRecords = choice(f, "badRecords", subject, List.of(DataDeclare.BAD_RECORDS_QUARANTINE, DataDeclare.BAD_RECORDS_FAIL));
    String quarantine = f.text("quarantine");
    List<ExpectationDeclare> expectations = new ExpectationReader(problems).readAll(f.raw("expectations"), f.pointer("expectations"),
        subject);
    MergeDeclare merge = f.has("merge") ? merge(f.raw("merge"), f.pointer("merge"), subject) : null;
    if (dataId == null) {
      return null;
    }
    return new DataDeclare(dataId, location, format, schema, options, mode, partitionBy, encryption, persist, schemaPolicy,
        badRecords, quarantine, expectations, merge);
  }

  /** {@code "merge": {"keys": [...], "deleteWhen": "...", "updateWhen": "..."}}. */
  private MergeDeclare merge(JsonNode node, String pointer, String subject) {
    Fields m = Fields.of(node, pointer, subject, "a merge declaration", List.of("keys", "deleteWhen", "updateWhen"), problems);
    if (m == null) {
      return null;
    }
    List<String> keys = m.textList("keys");
    if (keys == null || keys.isEmpty()) {
      problems.error(m.pointer("keys"), subject, "a merge needs its key columns, e.g. \"keys\": [\"id\"]");
    }
    return new MergeDeclare(keys, m.text("deleteWhen"), m.text("updateWhen"));
  }

  /** One of a few lower-case words, case-insensitively; null when absent or invalid (reported). */
  private String choice(Fields f, String key, String subject, List<String> allowed) {
    String value = f.text(key);
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      problems.error(f.pointer(key), subject, "invalid " + key + " \"" + value + "\"" + Suggestions.didYouMean(lower, allowed)
          + "; use " + String.join(" or ", allowed));
      return null;
    }
    return lower;
  }
}
