package io.ddp.matching;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Locality-sensitive hashing keys for {@link Block}: MinHash over shingles, random hyperplanes over vectors. */
final class Lsh {
  private Lsh() {}

  /** SplitMix64's finaliser: a 64-bit mix in which each input bit changes about half the output bits. */
  static long mix(long x) {
    long z = x;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The character shingles of a value (lower case, spaces collapsed); the value itself when shorter. */
  static Set<String> shingles(String value, int k) {
    String v = value.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    Set<String> out = new HashSet<>();
    if (v.isEmpty()) {
      return out;
    }
    if (v.length() <= k) {
      out.add(v);
      return out;
    }
    for (int i = 0; i + k <= v.length(); i++) {
      out.add(v.substring(i, i + k));
    }
    return out;
  }

  /**
   * {@code bands} keys, each {@code rows} MinHash minima of the value's shingles (hash functions
   * {@code mix(h(shingle) ^ seed_i)}); no key for an empty value.
   */
  static String[] minhashKeys(String value, int shingle, int bands, int rows, long seed) {
    if (value == null) {
      return new String[0];
    }
    Set<String> sh = shingles(value, shingle);
    if (sh.isEmpty()) {
      return new String[0];
    }
    long[] hashes = new long[sh.size()];
    int n = 0;
    for (String s : sh) {
      hashes[n++] = mix(s.hashCode() * 0x9E3779B97F4A7C15L + s.length());
    }
    // A band's key: its number and one 64-bit hash of its minima (short keys shuffle fewer bytes;
    // two different bands of minima share a key with probability about 2^-64).
    String[] keys = new String[bands];
    for (int b = 0; b < bands; b++) {
      long key = b;
      for (int r = 0; r < rows; r++) {
        long salt = mix(seed + 31L * (b * rows + r) + 1);
        long min = Long.MAX_VALUE;
        for (long h : hashes) {
          long v = mix(h ^ salt);
          if (v < min) {
            min = v;
          }
        }
        key = mix(key * 0x9E3779B97F4A7C15L ^ min);
      }
      keys[b] = b + ":" + Long.toHexString(key);
    }
    return keys;
  }

  /**
   * {@code bands} keys, each the signs of the vector's dot products with {@code rows} random
   * hyperplanes (normal coordinates from the seed); no key for a missing or zero vector.
   */
  static String[] hyperplaneKeys(Object vector, int bands, int rows, long seed) {
    double[] v = vector(vector);
    if (v == null || v.length == 0) {
      return new String[0];
    }
    boolean zero = true;
    for (double x : v) {
      zero &= x == 0;
    }
    if (zero) {
      return new String[0];
    }
    double[][] planes = planes(v.length, bands * rows, seed);
    String[] keys = new String[bands];
    for (int b = 0; b < bands; b++) {
      long bits = 0;
      for (int r = 0; r < rows; r++) {
        double[] normal = planes[b * rows + r];
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
          dot += v[i] * normal[i];
        }
        if (dot >= 0) {
          bits |= 1L << r;
        }
      }
      keys[b] = b + ":" + Long.toHexString(bits);
    }
    return keys;
  }

  private static final java.util.Map<String, double[][]> PLANES = new java.util.concurrent.ConcurrentHashMap<>();

  /** The normals of {@code count} random hyperplanes in {@code dims} dimensions, the same for a seed in every JVM. */
  static double[][] planes(int dims, int count, long seed) {
    return PLANES.computeIfAbsent(dims + "/" + count + "/" + seed, k -> {
      double[][] out = new double[count][dims];
      for (int j = 0; j < count; j++) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(mix(seed * 1_000_003L + j));
        for (int i = 0; i < dims; i++) {
          out[j][i] = gaussian(random);
        }
      }
      return out;
    });
  }

  private static double gaussian(java.util.SplittableRandom random) {
    // Box-Muller: the hyperplane's normal needs rotation-invariant coordinates.
    double u = 1.0 - random.nextDouble();
    double w = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }

  private static double[] vector(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof scala.collection.Seq<?> seq) {
      double[] d = new double[seq.size()];
      for (int i = 0; i < d.length; i++) {
        Object x = seq.apply(i);
        d[i] = x == null ? 0 : ((Number) x).doubleValue();
      }
      return d;
    }
    if (o instanceof List<?> list) {
      List<Double> d = new ArrayList<>();
      list.forEach(x -> d.add(x == null ? 0 : ((Number) x).doubleValue()));
      return d.stream().mapToDouble(Double::doubleValue).toArray();
    }
    if (o instanceof double[] d) {
      return d;
    }
    throw new IllegalArgumentException("hyperplane blocking needs an array of numbers, not " + o.getClass().getSimpleName());
  }
}
