package io.ddp.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.EncryptionMode;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads a dataset's {@code "encryption"} object; each mode owns its keys. */
final class EncryptionReader {
  static final Map<EncryptionMode, List<String>> KEYS = Map.of(
      EncryptionMode.SSE, List.of("mode", "algorithm", "kmsKeyId"),
      EncryptionMode.DATASET, List.of("mode", "keyService", "footerKeyId", "columnKeys", "plaintextFooter"),
      EncryptionMode.RECORD, List.of("mode", "keyService", "columns", "keyIdColumn"));
  static final List<String> SSE_ALGORITHMS = List.of("AES256", "SSE-KMS");

  private final Problems problems;

  EncryptionReader(Problems problems) {
    this.problems = problems;
  }

  EncryptionDeclare read(JsonNode node, String pointer, String subject) {
    if (!node.isObject()) {
      problems.error(pointer, subject, "\"encryption\" must be an object like {\"mode\": \"sse\", \"algorithm\": \"AES256\"}, not "
          + Fields.describe(node));
      return null;
    }
    JsonNode modeNode = node.get("mode");
    List<String> modes = Arrays.stream(EncryptionMode.values()).map(EncryptionMode::jsonName).collect(Collectors.toList());
    Optional<EncryptionMode> mode = modeNode != null && modeNode.isTextual() ? EncryptionMode.fromJson(modeNode.asText()) : Optional.empty();
    if (mode.isEmpty()) {
      String given = modeNode == null ? "missing" : "\"" + modeNode.asText() + "\"";
      problems.error(modeNode == null ? pointer : pointer + "/mode", subject, "encryption mode is " + given
          + (modeNode != null && modeNode.isTextual() ? Suggestions.didYouMean(modeNode.asText(), modes) : "")
          + "; use one of " + String.join(", ", modes));
      return null;
    }
    Fields f = Fields.of(node, pointer, subject, "encryption mode " + mode.get(), KEYS.get(mode.get()), problems);
    switch (mode.get()) {
      case SSE: {
        String algorithm = f.requiredText("algorithm", "use \"AES256\" or \"SSE-KMS\"");
        if (algorithm != null && !SSE_ALGORITHMS.contains(algorithm)) {
          problems.error(f.pointer("algorithm"), subject, "invalid sse algorithm \"" + algorithm + "\""
              + Suggestions.didYouMean(algorithm, SSE_ALGORITHMS) + "; use AES256 or SSE-KMS");
        }
        String keyId = f.text("kmsKeyId");
        if (keyId != null && keyId.isBlank()) {
          problems.error(f.pointer("kmsKeyId"), subject, "\"kmsKeyId\" is empty; give a KMS key id or ARN");
        }
        if ("SSE-KMS".equals(algorithm) && keyId == null) {
          problems.error(pointer, subject, "SSE-KMS needs \"kmsKeyId\" (a KMS key id or ARN)");
        }
        if ("AES256".equals(algorithm) && keyId != null) {
          problems.error(f.pointer("kmsKeyId"), subject, "\"kmsKeyId\" only applies to SSE-KMS; remove it or set \"algorithm\": \"SSE-KMS\"");
        }
        return new EncryptionDeclare(EncryptionMode.SSE, algorithm, keyId, null, null, null, false, null, null);
      }
      case DATASET: {
        String keyService = f.requiredText("keyService", "name the key service, e.g. \"kms\" or \"local\"");
        String footerKeyId = f.requiredText("footerKeyId", "name the key that protects the file footer");
        Map<String, List<String>> columnKeys = f.listMap("columnKeys");
        Boolean plaintextFooter = f.bool("plaintextFooter");
        return new EncryptionDeclare(EncryptionMode.DATASET, null, null, keyService, footerKeyId, columnKeys,
            Boolean.TRUE.equals(plaintextFooter), null, null);
      }
      case RECORD: {
        String keyService = f.requiredText("keyService", "name the key service, e.g. \"kms\" or \"local\"");
        List<String> columns = f.textList("columns");
        if (columns == null || columns.isEmpty()) {
          problems.error(pointer, subject, "record encryption needs \"columns\": the columns to encrypt");
        }
        String keyIdColumn = f.requiredText("keyIdColumn", "name the column holding each record's key id");
        return new EncryptionDeclare(EncryptionMode.RECORD, null, null, keyService, null, null, false, columns, keyIdColumn);
      }
      default:
        throw new IllegalStateException("Unknown encryption mode " + mode.get());
    }
  }
}
