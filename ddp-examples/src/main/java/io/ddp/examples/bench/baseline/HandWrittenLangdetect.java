package io.ddp.examples.bench.baseline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.udf;

import java.io.InputStream;
import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The language-detection job as a Spark user writes it without DDP: one class, plain Spark, the same
 * algorithms as DDP's example pipeline (line-based clean-up, SHA-256 exact dedup, MinHash LSH near
 * dedup comparing each bucket with its smallest url, OpenNLP detection with per-script thresholds,
 * parquet partitioned by language), written independently of DDP's code: this package imports
 * nothing from DDP (a test checks it). It has no metrics, no quarantine and no commit protocol.
 */
public final class HandWrittenLangdetect implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern JUNK_LINE = Pattern.compile(
      "(?i).*(copyright|©|all rights reserved|cookies|privacy|share on:|login|imprint).*|.*[|>·].*");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  /** The shingle hash's seed (the same value as the DDP pipe's, so both find the same pairs). */
  private static final long SEED = 0x5DEECE66DL * 20_261_121L;

  private final Map<String, Double> minConfidenceByScript;
  private final double minConfidence;
  private final Map<String, String> codes;

  /**
   * @param minConfidenceByScript thresholds by script (the same numbers the DDP pipe uses)
   * @param minConfidence the threshold for other scripts
   * @param codes OpenNLP's codes to the codes to write
   */
  public HandWrittenLangdetect(Map<String, Double> minConfidenceByScript, double minConfidence, Map<String, String> codes) {
    this.minConfidenceByScript = Map.copyOf(minConfidenceByScript);
    this.minConfidence = minConfidence;
    this.codes = Map.copyOf(codes);
  }

  /** Reads {@code docs} (JSON lines of url and text) and writes the detected unique documents to {@code out}. */
  public void run(SparkSession spark, String docs, String out) {
    var clean = udf((UDF1<String, String>) HandWrittenLangdetect::clean, DataTypes.StringType);
    Dataset<Row> pages = spark.read().schema("url STRING, text STRING").json(docs).withColumn("clean", clean.apply(col("text")));

    // Exact duplicates: the same cleaned text; the smallest url of each text stays.
    Dataset<Row> hashed = pages.withColumn("h", sha2(col("clean"), 256));
    Dataset<Row> firsts = hashed.groupBy("h").agg(min("url").as("first"));
    Dataset<Row> distinct = hashed.join(firsts, "h").filter(col("url").equalTo(col("first"))).drop("h", "first");

    // Near duplicates: MinHash (64 values over 5-character shingles), 16 bands of 4.
    var minhash = udf((UDF1<String, int[]>) HandWrittenLangdetect::minhash, DataTypes.createArrayType(DataTypes.IntegerType, false));
    var bands = udf((UDF1<scala.collection.Seq<Object>, long[]>) HandWrittenLangdetect::bands,
        DataTypes.createArrayType(DataTypes.LongType, false));
    var similarity = udf((UDF2<scala.collection.Seq<Object>, scala.collection.Seq<Object>, Double>) (x, y) -> {
      int same = 0;
      for (int i = 0; i < x.length(); i++) {
        same += x.apply(i).equals(y.apply(i)) ? 1 : 0;
      }
      return same / (double) x.length();
    }, DataTypes.DoubleType);
    Dataset<Row> sigs = distinct.select(col("url"), minhash.apply(col("clean")).as("sig")).repartition(col("url"));
    Dataset<Row> pairs = sigs.select(col("url"), explode(bands.apply(col("sig"))).as("bucket"))
        .withColumn("other", min("url").over(Window.partitionBy("bucket")))
        .filter(col("url").gt(col("other"))).select("url", "other").distinct()
        .join(sigs, "url").join(sigs.withColumnRenamed("url", "other").withColumnRenamed("sig", "other_sig"), "other")
        .filter(similarity.apply(col("sig"), col("other_sig")).geq(0.8)).select("url").distinct();
    Dataset<Row> unique = distinct.join(pairs, distinct.col("url").equalTo(pairs.col("url")), "left_anti");

    // Languages, with one detector per partition and the model once per executor JVM.
    StructType schema = unique.schema().add("lang", DataTypes.StringType).add("confidence", DataTypes.DoubleType);
    Map<String, Double> byScript = minConfidenceByScript;
    double otherwise = minConfidence;
    Map<String, String> iso = codes;
    MapPartitionsFunction<Row, Row> detect = rows -> {
      LanguageDetectorME detector = new LanguageDetectorME(Model.get());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          String text = row.getString(2);
          String lang = "und";
          double confidence = 0;
          String head = text.length() > 2000 ? text.substring(0, 2000) : text;
          String script = script(head);
          if (text.length() >= 20 && !script.equals("NONE")) {
            Language best = detector.predictLanguage(head);
            confidence = best.getConfidence();
            if (confidence >= byScript.getOrDefault(script, otherwise)) {
              lang = iso.getOrDefault(best.getLang(), best.getLang());
            }
          }
          return RowFactory.create(row.get(0), row.get(1), text, lang, confidence);
        }
      };
    };
    unique.mapPartitions(detect, Encoders.row(schema)).write().mode("overwrite").partitionBy("lang").parquet(out);
  }

  static String clean(String text) {
    if (text == null) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    for (String line : Normalizer.normalize(text, Normalizer.Form.NFC).split("\\R")) {
      String t = line.trim();
      if (!t.isEmpty() && !(t.length() < 80 && JUNK_LINE.matcher(t).matches())) {
        kept.add(t);
      }
    }
    return WHITESPACE.matcher(String.join(" ", kept)).replaceAll(" ").trim();
  }

  /** One-permutation MinHash: one 64-bit hash per 5-character shingle, 64 bins, empty bins filled from the right. */
  static int[] minhash(String text) {
    long[] best = new long[64];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    int shingles = Math.max(1, text.length() - 4);
    for (int i = 0; i < shingles; i++) {
      int h = 0; // the hashCode of the 5-character shingle at i
      for (int j = i; j < Math.min(text.length(), i + 5); j++) {
        h = 31 * h + text.charAt(j);
      }
      long x = splitmix(SEED ^ (h & 0xffffffffL));
      int bin = (int) (((x >>> 32) * 64) >>> 32);
      best[bin] = Math.min(best[bin], x & 0xffffffffL);
    }
    int[] sig = new int[64];
    for (int k = 0; k < 64; k++) {
      int d = 0;
      while (best[(k + d) % 64] == Long.MAX_VALUE) {
        d++;
      }
      long v = best[(k + d) % 64];
      sig[k] = d == 0 ? (int) v : (int) splitmix(v + 0x9E3779B97F4A7C15L * d);
    }
    return sig;
  }

  private static long splitmix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long[] bands(scala.collection.Seq<Object> sig) {
    long[] keys = new long[16];
    for (int b = 0; b < 16; b++) {
      long k = 0x9E3779B97F4A7C15L * (b + 1);
      for (int i = b * 4; i < b * 4 + 4; i++) {
        k = (k ^ (((Integer) sig.apply(i)) & 0xffffffffL)) * 0xBF58476D1CE4E5B9L;
        k ^= k >>> 29;
      }
      keys[b] = k;
    }
    return keys;
  }

  /** The script of most letters in the first 1,000 characters; KANA when Japanese kana are among Han. */
  static String script(String text) {
    Map<Character.UnicodeScript, Integer> n = new java.util.HashMap<>();
    for (int i = 0, end = Math.min(1000, text.length()); i < end; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        n.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
      }
    }
    int kana = n.getOrDefault(Character.UnicodeScript.HIRAGANA, 0) + n.getOrDefault(Character.UnicodeScript.KATAKANA, 0);
    int top = n.values().stream().max(Integer::compare).orElse(0);
    if (kana > 0 && kana + n.getOrDefault(Character.UnicodeScript.HAN, 0) >= top) {
      return "KANA";
    }
    return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name()).orElse("NONE");
  }

  /** The OpenNLP model, once per JVM. */
  static final class Model {
    private static LanguageDetectorModel model;

    static synchronized LanguageDetectorModel get() throws java.io.IOException {
      if (model == null) {
        try (InputStream in = HandWrittenLangdetect.class.getResourceAsStream("/langdetect-183.bin")) {
          model = new LanguageDetectorModel(in);
        }
      }
      return model;
    }
  }
}
