package io.ddp.examples.langdetect;

import static org.apache.spark.sql.functions.col;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.Scopes;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Language detection with OpenNLP's langdetect model (103 languages, from Maven Central): the model
 * once per executor JVM (instance scope), a detector per partition (partition scope: the detector is
 * not thread-safe). Output: the input plus {@code lang} (ISO 639-1, or {@code und} below
 * {@code minConfidence} or {@code minLength}) and {@code confidence}.
 */
public final class DetectLanguage implements SparkPipe<DetectLanguage.Params> {
  /**
   * @param textColumn the text to classify (default {@code clean})
   * @param minConfidence below it the language is {@code und} (default 0.5)
   * @param minLength texts shorter than this are {@code und} (default 20 characters)
   */
  public record Params(
      @Param(value = "The text to classify", defaultValue = "\"clean\"") String textColumn,
      @Param(value = "Below this confidence the language is und", defaultValue = "0.5") Double minConfidence,
      @Param(value = "Texts shorter than this many characters are und", defaultValue = "20") Integer minLength) {
    public Params {
      textColumn = textColumn == null ? "clean" : textColumn;
      minConfidence = minConfidence == null ? 0.5 : minConfidence;
      minLength = minLength == null ? 20 : minLength;
    }
  }

  static final String MODEL = "/langdetect-183.bin";
  private static final Map<String, String> ISO3_TO_1 = new HashMap<>();

  static {
    for (String two : Locale.getISOLanguages()) {
      try {
        ISO3_TO_1.put(new Locale(two).getISO3Language(), two);
      } catch (java.util.MissingResourceException ignored) {
        // No three-letter code: nothing to map.
      }
    }
    // OpenNLP uses ISO 639-3 individual-language codes where 639-2 has macrolanguages.
    ISO3_TO_1.putAll(Map.of("cmn", "zh", "pes", "fa", "zlm", "ms", "nob", "no", "nno", "nn", "ekk", "et", "lvs", "lv",
        "arb", "ar", "swh", "sw", "uzn", "uz"));
  }

  /** ISO 639-1 for an OpenNLP (ISO 639-3) code, or the code itself when there is none. */
  static String iso1(String iso3) {
    return ISO3_TO_1.getOrDefault(iso3, iso3);
  }

  static LanguageDetectorModel loadModel() {
    try (InputStream in = DetectLanguage.class.getResourceAsStream(MODEL)) {
      if (in == null) {
        throw new IllegalStateException("OpenNLP model " + MODEL + " is not on the class path (org.apache.opennlp:opennlp-models-langdetect)");
      }
      return new LanguageDetectorModel(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> in = inputs.only();
    Scopes.Scoped<LanguageDetectorModel> model = ctx.scopes().instance("opennlp-langdetect-183", DetectLanguage::loadModel);
    Scopes.Scoped<LanguageDetectorME> detector = ctx.scopes().partition("opennlp-detector", () -> new LanguageDetectorME(model.get()));
    StructType out = in.schema().add("lang", DataTypes.StringType).add("confidence", DataTypes.DoubleType);
    int text = in.schema().fieldIndex(p.textColumn());
    double minConfidence = p.minConfidence();
    int minLength = p.minLength();
    // Rows stream through one at a time: a partition can be far larger than memory.
    MapPartitionsFunction<Row, Row> detect = rows -> new Detections(rows, detector.get(), text, minConfidence, minLength);
    return in.mapPartitions(detect, Encoders.row(out));
  }

  /** A language (ISO 639-1 or {@code und}) and the model's confidence in it. */
  record Detection(String lang, double confidence) {}

  /**
   * The pipe's rule for one text: {@code und} below {@code minLength} characters (confidence 0) or
   * below {@code minConfidence}; only the first 2,000 characters are read.
   */
  static Detection classify(LanguageDetectorME detector, String text, double minConfidence, int minLength) {
    if (text.length() < minLength) {
      return new Detection("und", 0);
    }
    Language best = detector.predictLanguage(text.length() > 2000 ? text.substring(0, 2000) : text);
    return new Detection(best.getConfidence() >= minConfidence ? iso1(best.getLang()) : "und", best.getConfidence());
  }

  /** The rows of a partition with their language appended, one at a time. */
  private static final class Detections implements java.util.Iterator<Row> {
    private final java.util.Iterator<Row> rows;
    private final LanguageDetectorME detector;
    private final int text;
    private final double minConfidence;
    private final int minLength;

    Detections(java.util.Iterator<Row> rows, LanguageDetectorME detector, int text, double minConfidence, int minLength) {
      this.rows = rows;
      this.detector = detector;
      this.text = text;
      this.minConfidence = minConfidence;
      this.minLength = minLength;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      Detection d = classify(detector, r.isNullAt(text) ? "" : r.getString(text), minConfidence, minLength);
      Object[] cells = new Object[r.length() + 2];
      for (int i = 0; i < r.length(); i++) {
        cells[i] = r.get(i);
      }
      cells[r.length()] = d.lang();
      cells[r.length() + 1] = d.confidence();
      return RowFactory.create(cells);
    }
  }
}
