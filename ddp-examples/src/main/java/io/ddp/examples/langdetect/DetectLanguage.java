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
 * not thread-safe). Output: the input plus {@code lang} and {@code confidence}. {@code lang} is an
 * ISO 639-1 code, or ISO 639-3 for a language without one ({@link LanguageCodes}), or {@code und}
 * for a text shorter than {@code minLength} or one the model is unsure of: below a confidence
 * threshold chosen for the text's script from measurements ({@link #MIN_CONFIDENCE_BY_SCRIPT}), unless
 * the params set one.
 */
public final class DetectLanguage implements SparkPipe<DetectLanguage.Params> {
  /**
   * @param textColumn the text to classify (default {@code clean})
   * @param minConfidence below it the language is {@code und}, whatever the script (default: by script, measured)
   * @param minConfidenceByScript thresholds for some scripts ({@code LATIN}, {@code CYRILLIC}, {@code HAN},
   *     {@code KANA}...), over {@code minConfidence} and the measured ones
   * @param minLength texts shorter than this are {@code und} (default 20 characters)
   */
  public record Params(
      @Param(value = "The text to classify", defaultValue = "\"clean\"") String textColumn,
      @Param("Below this confidence the language is und, for every script (default: measured thresholds per script)")
      Double minConfidence,
      @Param("Thresholds for some scripts, e.g. {\"HAN\": 0.3}: Unicode script names, KANA for Japanese")
      Map<String, Double> minConfidenceByScript,
      @Param(value = "Texts shorter than this many characters are und", defaultValue = "20") Integer minLength) {
    public Params {
      textColumn = textColumn == null ? "clean" : textColumn;
      minConfidenceByScript = minConfidenceByScript == null ? Map.of() : Map.copyOf(minConfidenceByScript);
      minLength = minLength == null ? 20 : minLength;
      if (minConfidence != null && (minConfidence < 0 || minConfidence > 1)) {
        throw new IllegalArgumentException("minConfidence must be between 0 and 1, not " + minConfidence);
      }
    }

    /** The thresholds these params give: per script, else {@code minConfidence}, else the measured ones. */
    Thresholds thresholds() {
      Map<String, Double> byScript = new java.util.HashMap<>(minConfidence == null ? MIN_CONFIDENCE_BY_SCRIPT : Map.of());
      byScript.putAll(minConfidenceByScript);
      return new Thresholds(Map.copyOf(byScript), minConfidence == null ? MIN_CONFIDENCE : minConfidence);
    }
  }

  /** Confidence thresholds by script, and for other scripts. */
  record Thresholds(Map<String, Double> byScript, double otherwise) implements java.io.Serializable {
    double of(String script) {
      return byScript.getOrDefault(script, otherwise);
    }
  }

  /**
   * The threshold for scripts without a measured one. The thresholds were measured with
   * {@code LangidStudy} on the tuning half of the real-language sentences (79 languages, documents of
   * about 1,000 characters): for each script, the confidence below which 1% of the model's correct
   * answers fall, rounded down to a hundredth. So {@code und} costs at most about 1% of the right
   * answers of any script. A fixed 0.5 turned 10% of the right answers in Latin script, 13% in
   * Japanese and 6% in Chinese into {@code und}: OpenNLP spreads its probability over 103 languages,
   * so a right answer often has a low confidence (see docs/ml.md, "Accuracy on real text").
   */
  static final double MIN_CONFIDENCE = 0.03;

  /** Thresholds by script (see {@link #MIN_CONFIDENCE}). */
  static final Map<String, Double> MIN_CONFIDENCE_BY_SCRIPT = Map.ofEntries(
      Map.entry("LATIN", 0.04), Map.entry("CYRILLIC", 0.06), Map.entry("ARABIC", 0.04), Map.entry("GREEK", 0.07),
      Map.entry("HEBREW", 0.04), Map.entry("ARMENIAN", 0.04), Map.entry("GEORGIAN", 0.05), Map.entry("DEVANAGARI", 0.03),
      Map.entry("BENGALI", 0.04), Map.entry("GUJARATI", 0.04), Map.entry("GURMUKHI", 0.05), Map.entry("TAMIL", 0.04),
      Map.entry("TELUGU", 0.05), Map.entry("SINHALA", 0.01), Map.entry("THAI", 0.03), Map.entry("HANGUL", 0.03),
      Map.entry("HAN", 0.01), Map.entry("KANA", 0.01));

  static final String MODEL = "/langdetect-183.bin";

  /** The measured thresholds by script (for baselines that must apply the same rule). */
  public static Map<String, Double> measuredThresholds() {
    return MIN_CONFIDENCE_BY_SCRIPT;
  }

  /** The threshold for scripts without a measured one. */
  public static double defaultThreshold() {
    return MIN_CONFIDENCE;
  }

  private static volatile LanguageDetectorModel shared;

  /** The model, loaded once per JVM (for programs outside Spark: the pipe loads it per executor through its scopes). */
  public static LanguageDetectorModel model() {
    if (shared == null) {
      synchronized (DetectLanguage.class) {
        if (shared == null) {
          shared = loadModel();
        }
      }
    }
    return shared;
  }

  /** The pipe's rule with its default params for one text: the code, or {@code und}. */
  public static String detect(LanguageDetectorME detector, String text) {
    return classify(detector, text, DEFAULTS, 20).lang();
  }

  /** The thresholds of the default params, made once (a loop over millions of texts calls {@link #detect}). */
  private static final Thresholds DEFAULTS = new Params(null, null, null, null).thresholds();

  /** The code DDP emits for an OpenNLP code (see {@link LanguageCodes}). */
  static String iso1(String iso3) {
    return LanguageCodes.iso(iso3);
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
    Thresholds thresholds = p.thresholds();
    int minLength = p.minLength();
    // Rows stream through one at a time: a partition can be far larger than memory.
    MapPartitionsFunction<Row, Row> detect = rows -> new Detections(rows, detector.get(), text, thresholds, minLength);
    return in.mapPartitions(detect, Encoders.row(out));
  }

  /** A language (ISO 639-1 or {@code und}) and the model's confidence in it. */
  record Detection(String lang, double confidence) {}

  /**
   * The pipe's rule for one text: {@code und} below {@code minLength} characters or without letters
   * (confidence 0), or below the threshold of its script; only the first 2,000 characters are read.
   */
  static Detection classify(LanguageDetectorME detector, String text, Thresholds thresholds, int minLength) {
    if (text.length() < minLength) {
      return new Detection("und", 0);
    }
    String head = text.length() > 2000 ? text.substring(0, 2000) : text;
    String script = LanguageCodes.script(head);
    if (script.equals("NONE")) {
      return new Detection("und", 0); // no letters: numbers, dates, symbols
    }
    Language best = detector.predictLanguage(head);
    double min = thresholds.of(script);
    return new Detection(best.getConfidence() >= min ? LanguageCodes.iso(best.getLang()) : "und", best.getConfidence());
  }

  /** The rows of a partition with their language appended, one at a time. */
  private static final class Detections implements java.util.Iterator<Row> {
    private final java.util.Iterator<Row> rows;
    private final LanguageDetectorME detector;
    private final int text;
    private final Thresholds thresholds;
    private final int minLength;

    Detections(java.util.Iterator<Row> rows, LanguageDetectorME detector, int text, Thresholds thresholds, int minLength) {
      this.rows = rows;
      this.detector = detector;
      this.text = text;
      this.thresholds = thresholds;
      this.minLength = minLength;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      Detection d = classify(detector, r.isNullAt(text) ? "" : r.getString(text), thresholds, minLength);
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
