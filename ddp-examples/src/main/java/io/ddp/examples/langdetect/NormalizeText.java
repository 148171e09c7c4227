package io.ddp.examples.langdetect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.text.Normalizer;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Unicode NFC, boilerplate lines removed (navigation, copyright and share lines: short lines made of
 * menu separators, or naming copyright, cookies, privacy), whitespace collapsed. Output: the input plus
 * {@code clean}.
 */
public final class NormalizeText implements SparkPipe<NormalizeText.Params> {
  /** @param textColumn the text to normalise (default {@code text}) */
  public record Params(@Param(value = "The text to normalise", defaultValue = "\"text\"") String textColumn) {
    public Params {
      textColumn = textColumn == null ? "text" : textColumn;
    }
  }

  static final Pattern BOILERPLATE = Pattern.compile(
      "(?i).*(copyright|©|all rights reserved|cookies|privacy|share on:|login|imprint).*|.*[|>·].*");
  static final Pattern SPACE = Pattern.compile("\\s+");

  /** The pipe's clean-up of one text. */
  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder sb = new StringBuilder();
    for (String line : nfc.split("\\R")) {
      String t = line.strip();
      if (t.isEmpty() || (t.length() < 80 && BOILERPLATE.matcher(t).matches())) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : " ").append(t);
    }
    return SPACE.matcher(sb).replaceAll(" ").strip();
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    var clean = udf((UDF1<String, String>) NormalizeText::normalize, DataTypes.StringType);
    return inputs.only().withColumn("clean", clean.apply(col(params.textColumn())));
  }

}
