package io.ddp.examples.langdetect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.udf;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Near-duplicate detection with MinHash and locality-sensitive hashing, on character shingles of
 * the normalised text of documents that are not exact duplicates. Each document gets a signature of
 * {@code hashes} minimum hashes; signatures are cut into {@code bands}; documents sharing a band are
 * candidates, and a candidate pair whose signatures agree on at least {@code threshold} of their
 * positions (the estimated Jaccard similarity) is a near duplicate: the document with the larger url
 * is marked {@code near_duplicate_of} the smaller. Output: the input plus {@code near_duplicate_of}.
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

  private static final long PRIME = 4_294_967_311L;

  static long[][] coefficients(int hashes) {
    SplittableRandom r = new SplittableRandom(20_261_121L);
    long[][] ab = new long[hashes][2];
    for (long[] c : ab) {
      c[0] = 1 + r.nextLong(PRIME - 1);
      c[1] = r.nextLong(PRIME);
    }
    return ab;
  }

  static int[] signature(String text, int shingle, long[][] ab) {
    int[] sig = new int[ab.length];
    java.util.Arrays.fill(sig, Integer.MAX_VALUE);
    String t = text == null ? "" : text;
    int n = Math.max(1, t.length() - shingle + 1);
    for (int i = 0; i < n; i++) {
      long x = t.substring(i, Math.min(t.length(), i + shingle)).hashCode() & 0xffffffffL;
      for (int h = 0; h < ab.length; h++) {
        int v = (int) ((ab[h][0] * x + ab[h][1]) % PRIME);
        if (v < sig[h]) {
          sig[h] = v;
        }
      }
    }
    return sig;
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params p, SparkPipeContext ctx) {
    Dataset<Row> all = inputs.only();
    long[][] ab = coefficients(p.hashes());
    int shingle = p.shingle();
    int rows = p.hashes() / p.bands();
    var sig = udf((UDF1<String, Integer[]>) text -> java.util.Arrays.stream(signature(text, shingle, ab)).boxed().toArray(Integer[]::new),
        DataTypes.createArrayType(DataTypes.IntegerType));
    var bandKeys = udf((UDF1<scala.collection.Seq<Integer>, String[]>) s -> {
      java.util.List<Integer> v = scala.jdk.javaapi.CollectionConverters.asJava(s);
      String[] keys = new String[v.size() / rows];
      for (int b = 0; b < keys.length; b++) {
        keys[b] = b + ":" + v.subList(b * rows, (b + 1) * rows).hashCode();
      }
      return keys;
    }, DataTypes.createArrayType(DataTypes.StringType));
    var agreement = udf((UDF2<scala.collection.Seq<Integer>, scala.collection.Seq<Integer>, Double>) (a, b) -> {
      java.util.List<Integer> x = scala.jdk.javaapi.CollectionConverters.asJava(a);
      java.util.List<Integer> y = scala.jdk.javaapi.CollectionConverters.asJava(b);
      int same = 0;
      for (int i = 0; i < x.size(); i++) {
        same += x.get(i).equals(y.get(i)) ? 1 : 0;
      }
      return (double) same / x.size();
    }, DataTypes.DoubleType);

    Dataset<Row> signed = all.filter(col("exact_duplicate_of").isNull()).select(col("url"), sig.apply(col("clean")).as("sig"));
    Dataset<Row> buckets = signed.select(col("url"), col("sig"), explode(bandKeys.apply(col("sig"))).as("bucket"));
    Dataset<Row> a = buckets.toDF("url_a", "sig_a", "bucket");
    Dataset<Row> b = buckets.toDF("url_b", "sig_b", "bucket");
    Dataset<Row> near = a.join(b, "bucket").filter(col("url_a").lt(col("url_b")))
        .select(col("url_a"), col("url_b"), col("sig_a"), col("sig_b")).dropDuplicates("url_a", "url_b")
        .filter(agreement.apply(col("sig_a"), col("sig_b")).geq(p.threshold()))
        .groupBy(col("url_b").as("url")).agg(min(col("url_a")).as("near_duplicate_of"));
    return all.join(near, all.col("url").equalTo(near.col("url")), "left").drop(near.col("url"));
  }
}
