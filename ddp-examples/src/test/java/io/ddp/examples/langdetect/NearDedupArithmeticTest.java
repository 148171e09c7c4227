package io.ddp.examples.langdetect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The MinHash arithmetic: pinned values, exact binning, and estimates that match the true Jaccard similarity. */
class NearDedupArithmeticTest {
  @Test
  void theMixIsSplitMix64sFinaliserAndPinned() {
    // Reference values of SplitMix64 (Steele, Lea, Flood 2014): the mix of seed 0 advanced by the golden gamma.
    assertThat(NearDedup.mix(0x9E3779B97F4A7C15L)).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(NearDedup.mix(0)).isZero();
    // A signature never depends on the JVM, the run or the partition: pinned for one text.
    assertThat(NearDedup.signature("hello world", 5, 4)).containsExactly(NearDedup.signature("hello world", 5, 4));
    assertThat(NearDedup.signature("hello world", 5, 4)[0]).isEqualTo(PINNED_HELLO_WORLD_0);
  }

  /** Computed once by hand from the definitions above; a change to the hash is a change to every signature. */
  private static final int PINNED_HELLO_WORLD_0 = pinned();

  private static int pinned() {
    long min = Long.MAX_VALUE;
    String t = "hello world";
    int bins = 4;
    long[] perBin = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    for (int i = 0; i + 5 <= t.length(); i++) {
      long x = NearDedup.mix(NearDedup.SEED ^ (t.substring(i, i + 5).hashCode() & 0xffffffffL));
      int b = (int) Long.divideUnsigned((x >>> 32) * bins, 1L << 32);
      perBin[b] = Math.min(perBin[b], x & 0xffffffffL);
    }
    int d = 0;
    while (perBin[d % bins] == Long.MAX_VALUE) {
      d++;
    }
    min = perBin[d % bins];
    return d == 0 ? (int) min : (int) NearDedup.mix(min + 0x9E3779B97F4A7C15L * d);
  }

  @Test
  void binsSplitTheHashRangeEvenlyWithoutOverflow() {
    assertThat(NearDedup.bin(0L, 64)).isZero();
    assertThat(NearDedup.bin(-1L, 64)).isEqualTo(63);
    assertThat(NearDedup.bin(Long.MIN_VALUE, 64)).isEqualTo(32);
    assertThat(NearDedup.bin(-1L, 7)).isEqualTo(6);
    int[] counts = new int[16];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 160_000; i++) {
      counts[NearDedup.bin(NearDedup.mix(r.nextLong()), 16)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_500, 10_500);
    }
  }

  @Test
  void agreementEstimatesTheJaccardSimilarityOfTheShingleSets() {
    SplittableRandom r = new SplittableRandom(11);
    for (double target : new double[] {0.5, 0.8, 0.9}) {
      double sum = 0;
      int trials = 200;
      for (int trial = 0; trial < trials; trial++) {
        // Two texts of 1,000 random 5-letter words sharing a given share of words: shingles mostly within words.
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < 200; w++) {
          String word = word(r);
          a.append(word).append(' ');
          b.append(r.nextDouble() < target ? word : word(r)).append(' ');
        }
        sum += NearDedup.agreement(NearDedup.signature(a.toString(), 5, 64), NearDedup.signature(b.toString(), 5, 64))
            - jaccard(a.toString(), b.toString());
      }
      assertThat(sum / trials).as("mean error of the estimate near J=%.1f", target).isBetween(-0.03, 0.03);
    }
  }

  @Test
  void shortTextsAreDensifiedAndStillCompare() {
    int[] a = NearDedup.signature("abc", 5, 64);
    assertThat(a).as("a text shorter than a shingle is one shingle, in one bin, lent to all").doesNotHaveDuplicates();
    assertThat(NearDedup.agreement(a, NearDedup.signature("abc", 5, 64))).isEqualTo(1.0);
    assertThat(NearDedup.agreement(a, NearDedup.signature("abd", 5, 64))).isLessThan(0.1);
  }

  @Test
  void bandKeysDependOnTheBandAndItsValuesOnly() {
    int[] sig = new int[16];
    int[] other = new int[16];
    other[15] = 7;
    long[] a = NearDedup.bandKeys(sig, 4);
    long[] b = NearDedup.bandKeys(other, 4);
    assertThat(a[0]).isEqualTo(b[0]).isNotEqualTo(a[1]);
    assertThat(a[3]).isNotEqualTo(b[3]);
  }

  private static String word(SplittableRandom r) {
    char[] c = new char[5];
    for (int i = 0; i < 5; i++) {
      c[i] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }

  private static double jaccard(String a, String b) {
    Set<String> x = shingles(a);
    Set<String> y = shingles(b);
    Set<String> union = new HashSet<>(x);
    union.addAll(y);
    x.retainAll(y);
    return (double) x.size() / union.size();
  }

  private static Set<String> shingles(String t) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 5 <= t.length(); i++) {
      out.add(t.substring(i, i + 5));
    }
    return out;
  }
}
