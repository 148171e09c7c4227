package io.ddp.examples.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rpad;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.validate.Problems;
import io.ddp.io.DatasetFormat;
import io.ddp.io.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A custom format, as a user would add one: fixed-width text files, where each column takes a fixed
 * number of characters. Declared as
 * {@code {"format": "fixedwidth", "schema": "id INT, name STRING", "options": {"widths": "5,20"}}}.
 * Registered in {@code META-INF/services/io.ddp.io.DatasetFormat}; DDP stages and commits its writes
 * like any file format.
 */
public final class FixedWidthFormat implements DatasetFormat {
  @Override
  public Set<String> names() {
    return Set.of("fixedwidth");
  }

  @Override
  public Dataset<Row> read(SparkSession spark, DataDeclare data, Map<String, String> options) {
    StructType schema = Schemas.parse(data.schema());
    int[] widths = widths(options);
    List<Column> columns = new ArrayList<>();
    int start = 1;
    for (int i = 0; i < widths.length; i++) {
      StructField f = schema.fields()[i];
      columns.add(trim(substring(col("value"), start, widths[i])).cast(f.dataType()).as(f.name()));
      start += widths[i];
    }
    return spark.read().text(data.location()).select(columns.toArray(new Column[0]));
  }

  @Override
  public void write(Dataset<Row> rows, DataDeclare data, String path, Map<String, String> options) {
    int[] widths = widths(options);
    String[] names = rows.columns();
    Column[] padded = new Column[widths.length];
    for (int i = 0; i < widths.length; i++) {
      padded[i] = rpad(col(names[i]).cast("string"), widths[i], " ");
    }
    rows.select(concat(padded).as("value")).write().mode(SaveMode.ErrorIfExists).text(path);
  }

  @Override
  public void check(DataDeclare data, String pointer, Problems problems) {
    String subject = "dataset '" + data.dataId() + "'";
    String widths = data.options().get("widths");
    if (widths == null || !widths.matches("[1-9][0-9]*(,[1-9][0-9]*)*")) {
      problems.error(pointer + "/options", subject, "a fixedwidth dataset needs option \"widths\": the width of each column, e.g. \"5,20\"");
      return;
    }
    if (data.schema() == null) {
      problems.error(pointer, subject, "a fixedwidth dataset needs a \"schema\" to name and type its columns");
    } else if (data.schema().split(",").length != widths.split(",").length) {
      problems.error(pointer + "/options", subject, "\"widths\" gives " + widths.split(",").length + " widths for "
          + data.schema().split(",").length + " columns in the schema");
    }
  }

  private static int[] widths(Map<String, String> options) {
    String[] parts = options.getOrDefault("widths", "").split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i].trim());
    }
    return out;
  }
}
