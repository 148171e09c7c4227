package io.ddp.studio;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.io.DeclaredIO;
import io.ddp.io.ReadContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The first rows of a dataset that has data (a source, or a sink a run wrote), read the way a run
 * reads it (format, options, decryption), never written. Bounded: at most {@link #MAX_ROWS} rows,
 * values cut at {@link #MAX_CHARS} characters.
 */
final class Preview {
  static final int MAX_ROWS = 100;
  static final int MAX_CHARS = 500;

  private Preview() {}

  static Map<String, Object> of(SparkSession spark, PipelineDeclare pipeline, String dataId, int limit) {
    DataDeclare data = pipeline.data().stream().filter(d -> d.dataId().equals(dataId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No dataset '" + dataId + "' in the saved pipeline; save first"));
    if (data.location() == null) {
      throw new IllegalArgumentException("Dataset '" + dataId + "' has no location: it lives only inside a run, so there is"
          + " nothing stored to preview; declare a location to keep it");
    }
    Dataset<Row> rows;
    try {
      rows = DeclaredIO.load(Thread.currentThread().getContextClassLoader()).read(spark, data, ReadContext.NONE);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("PATH_NOT_FOUND") || message.contains("does not exist")) {
        throw new IllegalArgumentException("Dataset '" + dataId + "' has no data at " + io.ddp.core.text.Secrets.mask(data.location())
            + " yet: run the pipeline (or the pipe that writes it) first");
      }
      throw new IllegalArgumentException("Cannot read dataset '" + dataId + "': " + io.ddp.core.text.Secrets.mask(message));
    }
    int n = Math.max(1, Math.min(limit, MAX_ROWS));
    List<Map<String, String>> columns = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      Map<String, String> column = new LinkedHashMap<>();
      column.put("name", f.name());
      column.put("type", f.dataType().simpleString());
      columns.add(column);
    }
    List<List<String>> out = new ArrayList<>();
    for (Row r : rows.limit(n).collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        String s = v == null ? null : v.toString();
        values.add(s != null && s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "…" : s);
      }
      out.add(values);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("dataId", dataId);
    result.put("location", io.ddp.core.text.Secrets.mask(data.location()));
    result.put("columns", columns);
    result.put("rows", out);
    result.put("limit", n);
    return result;
  }
}
