package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.MergeDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.core.text.Messages;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import io.ddp.io.crypto.EncryptionCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The static checks of every dataset's I/O, before anything runs: the format is known and accepts the
 * declaration, store options belong to the location's store, write hints are well formed, the
 * encryption mode fits the dataset; then each store's checks of its datasets together. Each format,
 * store and encryption mode brings its own rules; this class names none of them.
 */
final class DatasetChecks {
  private final DeclaredIO io;

  DatasetChecks(DeclaredIO io) {
    this.io = io;
  }

  void check(PipelineDeclare pipeline, Problems problems) {
    Set<String> names = io.formatNames();
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      String pointer = Subjects.dataPointer(i);
      String subject = Subjects.dataset(d.dataId());
      if (d.format() != null) {
        String f = d.format().toLowerCase(Locale.ROOT);
        if (!names.contains(f) && !(d.format().contains(".") && io.loadable(d.format()))) {
          problems.error(pointer + "/format", subject, "unknown format '" + d.format() + "'" + Suggestions.didYouMean(f, names)
              + "; use one of " + io.registeredFormats() + ", another Spark data source on the class path, or its class name");
        } else {
          io.format(d).check(d, pointer, problems);
          writeModes(d, io.format(d), pointer, subject, problems);
          boolean quarantines = d.expectations().stream().anyMatch(e -> e.onViolation() == ExpectationDeclare.Action.QUARANTINE);
          if (quarantines && d.quarantine() == null && d.hasLocation() && !io.format(d).writesFiles()) {
            problems.error(pointer + "/expectations", subject, "its quarantine expectations need a place for the rows they set"
                + " aside, and format '" + d.format() + "' has no directory to put them beside; declare \"quarantine\": \"<dataId of"
                + " a dataset with a location>\" on '" + d.dataId() + "'");
          }
        }
      }
      Optional<DatasetStore> store = io.store(d);
      store.ifPresent(s -> s.check(d, pointer, problems));
      storeOptions(d, store, pointer, subject, problems);
      List<String> malformed = new ArrayList<>();
      WriteHints.parse(d.options(), malformed);
      malformed.forEach(m -> problems.error(pointer + "/options", subject, m));
      boolean storeEncrypts = store.filter(DatasetStore::encryptsServerSide).isPresent();
      EncryptionCodec.of(d.encryption()).check(d, Schemas.declared(d).orElse(null), storeEncrypts, pointer + "/encryption", problems);
    }
    Map<DatasetStore, List<DataDeclare>> byStore = new LinkedHashMap<>();
    for (DataDeclare d : data) {
      io.store(d).ifPresent(s -> byStore.computeIfAbsent(s, k -> new ArrayList<>()).add(d));
    }
    byStore.forEach((s, mine) -> s.checkTogether(mine, d -> Subjects.dataPointer(data.indexOf(d)), problems));
  }

  /**
   * Mode {@code merge} and {@code schemaPolicy: evolve} need a format that can do them; merge keys must
   * be declared columns, and its conditions must parse.
   */
  private static void writeModes(DataDeclare d, DatasetFormat format, String pointer, String subject, Problems problems) {
    if (d.mode() == WriteMode.MERGE && !format.merges()) {
      problems.error(pointer + "/mode", subject, "format '" + d.format() + "' cannot merge rows into what is there;"
          + " mode \"merge\" needs format delta, iceberg or jdbc (or write with append or overwrite)");
    }
    if (DataDeclare.SCHEMA_EVOLVE.equals(d.schemaPolicy()) && !format.evolvesSchema()) {
      problems.error(pointer + "/schemaPolicy", subject, "schemaPolicy \"evolve\" changes a table's own schema, and format '"
          + d.format() + "' keeps none; use it with delta or iceberg, or use \"fail\" or \"cast\"");
    }
    MergeDeclare merge = d.merge();
    if (merge == null) {
      return;
    }
    Optional<org.apache.spark.sql.types.StructType> schema;
    try {
      schema = Schemas.declared(d);
    } catch (RuntimeException e) {
      schema = Optional.empty(); // reported as a schema problem
    }
    if (schema.isPresent()) {
      Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      columns.addAll(List.of(schema.get().fieldNames()));
      for (String key : merge.keys()) {
        if (!columns.contains(key)) {
          problems.error(pointer + "/merge/keys", subject, "merge key '" + key + "' is not a declared column"
              + Suggestions.didYouMean(key, columns) + "; the declared columns are " + String.join(", ", schema.get().fieldNames()));
        }
      }
    }
    condition(merge.deleteWhen(), "deleteWhen", pointer, subject, problems);
    if (merge.deleteWhen() != null && merge.deleteWhen().matches("(?is).*\\btarget\\s*\\..*")) {
      problems.error(pointer + "/merge/deleteWhen", subject, "\"deleteWhen\" decides about the row being written, so it can only"
          + " use source.col (a row that matches nothing is not inserted when it holds); put conditions on target.col in"
          + " \"updateWhen\"");
    }
    condition(merge.updateWhen(), "updateWhen", pointer, subject, problems);
  }

  private static void condition(String text, String key, String pointer, String subject, Problems problems) {
    if (text == null) {
      return;
    }
    try {
      org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parseExpression(text);
    } catch (Exception e) { // ParseException is an AnalysisException: checked in Java's eyes, though Scala does not declare it
      problems.error(pointer + "/merge/" + key, subject, "\"" + key + "\" is not a SQL condition: "
          + Messages.firstLine(e.getMessage()) + " (write it over source.col and target.col, e.g. source.op = 'D')");
    }
  }

  /** An option with another store's prefix ({@code s3.} on a local path) would be passed to the format as is. */
  private void storeOptions(DataDeclare d, Optional<DatasetStore> own, String pointer, String subject, Problems problems) {
    for (DatasetStore other : io.stores()) {
      String prefix = other.optionPrefix();
      if ((own.isPresent() && own.get() == other) || prefix == null || prefix.isEmpty()) {
        continue;
      }
      for (String key : d.options().keySet()) {
        if (key.startsWith(prefix)) {
          Set<String> schemes = new TreeSet<>(other.schemes());
          problems.error(pointer + "/options", subject, "option \"" + key + "\" only applies to "
              + String.join(", ", schemes.stream().map(x -> x + "://").toList()) + " locations");
        }
      }
    }
  }
}
