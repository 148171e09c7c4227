package io.ddp.examples.langdetect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.udf;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Near-duplicate detection with MinHash and locality-sensitive hashing, on character shingles of
 * the normalised text of documents that are not exact duplicates.
 *
 * <ul>
 *   <li>Each document gets a signature of {@code hashes} values by one-permutation MinHash: every
 *       shingle is hashed once to 64 bits ({@link #mix}); the high bits pick one of {@code hashes}
 *       bins and each bin keeps its smallest low 32 bits; a bin no shingle fell into borrows from the
 *       next filled bin (rotation densification, Shrivastava and Li, 2014). Two signatures agree in a
 *       position with probability about the Jaccard similarity of the two shingle sets, as with
 *       {@code hashes} independent hash functions, for one hash per shingle instead of
 *       {@code hashes}.</li>
 *   <li>Signatures are cut into {@code bands}; documents with the same values in a band share a
 *       bucket. In each bucket every document is compared with the bucket's smallest url only, so the
 *       work grows with the number of documents, not with the square of a bucket's size: real text
 *       has huge buckets of unrelated pages that share one common sentence, and comparing all their
 *       pairs is what made this step grow faster than the corpus.</li>
 *   <li>A compared pair whose signatures agree on at least {@code threshold} of their positions (the
 *       estimated Jaccard similarity) is a near duplicate: the document with the larger url is marked
 *       {@code near_duplicate_of} the smallest url it matched.</li>
 * </ul>
 *
 * <p>Copies of one page share most buckets, and in most of them the pair is alone with its original,
 * so a near copy is found even when a big bucket pairs it with a stranger. Output: the input plus
 * {@code near_duplicate_of}.
 */
public final class NearDedup implements SparkPipe<NearDedup.Params> {
  /**
   * @param threshold estimated Jaccard similarity from which two documents are near duplicates (default 0.8)
   * @param shingle characters per shingle (default 5)
   * @param hashes signature length (default 64)
   * @param bands LSH bands; hashes must be a multiple (default 16, i.e. rows of 4)
   */
  public record Params(
      @Param(value = "Estimated Jaccard similarity from which two documents are near duplicates", defaultValue = "0.8")
      Double threshold,
      @Param(value = "Characters per shingle", defaultValue = "5") Integer shingle,
      @Param(value = "MinHash signature length", defaultValue = "64") Integer hashes,
      @Param(value = "LSH bands; hashes must be a multiple", defaultValue = "16") Integer bands) {
    public Params {
      threshold = threshold == null ? 0.8 : threshold;
      shingle = shingle == null ? 5 : shingle;
      hashes = hashes == null ? 64 : hashes;
      bands = bands == null ? 16 : bands;
      if (threshold <= 0 || threshold > 1 || shingle < 1 || hashes < 1 || bands < 1 || hashes % bands != 0) {
        throw new IllegalArgumentException("threshold in (0, 1], shingle, hashes, bands >= 1, and hashes a multiple of bands");
      }
    }
  }

  /** Seeds the shingle hash, so that signatures are the same in every run and JVM. */
  static final long SEED = 0x5DEECE66DL * 20_261_121L;

  /** A 64-bit mix of {@code x} (SplitMix64's finaliser): each input bit changes about half the output bits. */
  static long mix(long x) {
    long z = x;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The bin (0..bins-1) of a 64-bit hash: its high 32 bits scaled to {@code bins}, without a division. */
  static int bin(long hash, int bins) {
    return (int) (((hash >>> 32) * bins) >>> 32);
  }

  /**
   * The one-permutation MinHash signature of a text (see the class comment): {@code bins} values, each
   * the smallest low 32 bits of the hashes in its bin, unsigned, stored in an {@code int}; empty bins
   * densified from the next filled bin to the right (circularly), offset by the distance so that two
   * documents agree there only if they agree in the bin borrowed from.
   */
  static int[] signature(String text, int shingle, int bins) {
    long[] min = new long[bins];
    java.util.Arrays.fill(min, Long.MAX_VALUE);
    String t = text == null ? "" : text;
    int n = Math.max(1, t.length() - shingle + 1);
    for (int i = 0; i < n; i++) {
      int h = 0;
      for (int j = i, end = Math.min(t.length(), i + shingle); j < end; j++) {
        h = 31 * h + t.charAt(j); // String.hashCode of the shingle, without making the string
      }
      long x = mix(SEED ^ (h & 0xffffffffL));
      int b = bin(x, bins);
      long v = x & 0xffffffffL;
      if (v < min[b]) {
        min[b] = v;
      }
    }
    int[] sig = new int[bins];
    for (int k = 0; k < bins; k++) {
      int from = k;
      int distance = 0;
      while (min[from] == Long.MAX_VALUE) { // at least one bin is filled: a text has a shingle
        from = (from + 1) % bins;
        distance++;
      }
      sig[k] = distance == 0 ? (int) min[from] : (int) mix(min[from] + 0x9E3779B97F4A7C15L * distance);
    }
    return sig;
  }

  /** One key per band: the band's number and its values, hashed to 64 bits. */
  static long[] bandKeys(int[] sig, int bands) {
    int rows = sig.length / bands;
    long[] keys = new long[bands];
    for (int b = 0; b < bands; b++) {
      long k = 0x9E3779B97F4A7C15L * (b + 1);
      for (int r = b * rows; r < (b + 1) * rows; r++) {
        k = (k ^ (sig[r] & 0xffffffffL)) * 0xBF58476D1CE4E5B9L;
        k ^= k >>> 29;
      }
      keys[b] = k;
    }
    return keys;
  }

  /** The share of positions where two signatures agree: the estimated Jaccard similarity. */
  static double agreement(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    return (double) same / a.length;
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> all = inputs.only();
    int shingle = p.shingle();
    int hashes = p.hashes();
    int bands = p.bands();
    var sig = udf((UDF1<String, int[]>) text -> signature(text, shingle, hashes), DataTypes.createArrayType(DataTypes.IntegerType, false));
    var keys = udf((UDF1<scala.collection.Seq<Object>, long[]>) s -> bandKeys(ints(s), bands),
        DataTypes.createArrayType(DataTypes.LongType, false));
    var agree = udf((UDF2<scala.collection.Seq<Object>, scala.collection.Seq<Object>, Double>)
        (a, b) -> agreement(ints(a), ints(b)), DataTypes.DoubleType);

    // Signatures once: the shuffle by url is written once and reused by the three branches below.
    Dataset<Row> signed = all.filter(col("exact_duplicate_of").isNull()).select(col("url"), sig.apply(col("clean")).as("sig"))
        .repartition(col("url"));
    Dataset<Row> candidates = signed.select(col("url"), explode(keys.apply(col("sig"))).as("band"))
        .withColumn("rep", min(col("url")).over(Window.partitionBy("band")))
        .filter(col("url").gt(col("rep"))).select("url", "rep").distinct();
    Dataset<Row> near = candidates.join(signed, "url")
        .join(signed.toDF("rep", "rep_sig"), "rep")
        .filter(agree.apply(col("sig"), col("rep_sig")).geq(p.threshold()))
        .groupBy(col("url").as("near_url")).agg(min(col("rep")).as("near_duplicate_of"));
    // A new name for the join key: near derives from all, so near's url would be all's own column.
    return all.join(near, all.col("url").equalTo(near.col("near_url")), "left").drop("near_url");
  }

  private static int[] ints(scala.collection.Seq<Object> s) {
    int[] out = new int[s.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Integer) s.apply(i);
    }
    return out;
  }
}
