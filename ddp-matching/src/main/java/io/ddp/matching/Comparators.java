package io.ddp.matching;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Field comparators: each turns two values into a similarity in [0, 1] (1: the same), or null when
 * either value is missing (the caller decides what a missing value counts for). String comparators
 * compare the values as given: standardise them first (case, accents, spacing).
 */
public final class Comparators {
  /** The names a field's {@code comparator} param may take. */
  public static final List<String> NAMES = List.of("exact", "levenshtein", "jaroWinkler", "jaccard", "numeric", "date", "cosine");

  private static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance();
  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private Comparators() {}

  /** A comparator of two column values. */
  @FunctionalInterface
  public interface Comparator extends Serializable {
    /** Similarity in [0, 1], or null when a value is missing. */
    Double compare(Object a, Object b);
  }

  /**
   * The comparator called {@code name}.
   *
   * @param scale for {@code numeric}: the difference at which similarity reaches 0; for {@code date}: days
   */
  public static Comparator of(String name, double scale) {
    return switch (name) {
      case "exact" -> (a, b) -> missing(a, b) ? null : (String.valueOf(a).equals(String.valueOf(b)) ? 1.0 : 0.0);
      case "levenshtein" -> (a, b) -> missing(a, b) ? null : levenshtein(a.toString(), b.toString());
      case "jaroWinkler" -> (a, b) -> missing(a, b) ? null : jaroWinkler(a.toString(), b.toString());
      case "jaccard" -> (a, b) -> missing(a, b) ? null : tokenJaccard(a.toString(), b.toString());
      case "numeric" -> (a, b) -> missing(a, b) ? null : numeric(number(a), number(b), scale);
      case "date" -> (a, b) -> missing(a, b) ? null : date(a, b, scale);
      case "cosine" -> (a, b) -> missing(a, b) ? null : cosine(vector(a), vector(b));
      default -> throw new IllegalArgumentException("unknown comparator '" + name + "'; use one of " + String.join(", ", NAMES));
    };
  }

  private static boolean missing(Object a, Object b) {
    return a == null || b == null || (a instanceof String s && s.isBlank()) || (b instanceof String t && t.isBlank());
  }

  /** 1 minus the edit distance over the longer length. */
  public static double levenshtein(String a, String b) {
    int longest = Math.max(a.length(), b.length());
    return longest == 0 ? 1.0 : 1.0 - (double) LEVENSHTEIN.apply(a, b) / longest;
  }

  public static double jaroWinkler(String a, String b) {
    return a.isEmpty() && b.isEmpty() ? 1.0 : JARO_WINKLER.apply(a, b);
  }

  /** Jaccard similarity of the sets of whitespace-separated tokens (case-insensitive). */
  public static double tokenJaccard(String a, String b) {
    Set<String> x = tokens(a);
    Set<String> y = tokens(b);
    if (x.isEmpty() && y.isEmpty()) {
      return 1.0;
    }
    Set<String> both = new HashSet<>(x);
    both.retainAll(y);
    return (double) both.size() / (x.size() + y.size() - both.size());
  }

  static Set<String> tokens(String s) {
    Set<String> out = new HashSet<>();
    for (String t : s.toLowerCase(Locale.ROOT).split("[\\s,;]+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** 1 at equal values, falling linearly to 0 at a difference of {@code scale} (>0). */
  public static double numeric(double a, double b, double scale) {
    double d = Math.abs(a - b);
    return Math.max(0.0, 1.0 - d / scale);
  }

  private static double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(o.toString().trim());
    } catch (NumberFormatException e) {
      return Double.NaN; // compares as 0
    }
  }

  /** Dates (java.sql.Date, LocalDate or ISO yyyy-MM-dd text): 1 on the same day, 0 from {@code scaleDays} apart. */
  static Double date(Object a, Object b, double scaleDays) {
    LocalDate x = localDate(a);
    LocalDate y = localDate(b);
    if (x == null || y == null) {
      return null;
    }
    return numeric(0, Math.abs(ChronoUnit.DAYS.between(x, y)), scaleDays);
  }

  private static LocalDate localDate(Object o) {
    if (o instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (o instanceof LocalDate d) {
      return d;
    }
    try {
      return LocalDate.parse(o.toString().trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Cosine similarity of two vectors, mapped from [-1, 1] to [0, 1]. */
  public static double cosine(double[] a, double[] b) {
    if (a.length != b.length || a.length == 0) {
      return 0.0;
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    if (na == 0 || nb == 0) {
      return 0.0;
    }
    return (dot / Math.sqrt(na * nb) + 1) / 2;
  }

  private static double[] vector(Object o) {
    if (o instanceof double[] d) {
      return d;
    }
    if (o instanceof float[] f) {
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    if (o instanceof scala.collection.Seq<?> seq) {
      double[] d = new double[seq.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = ((Number) seq.apply(i)).doubleValue();
      }
      return d;
    }
    if (o instanceof List<?> list) {
      double[] d = new double[list.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = ((Number) list.get(i)).doubleValue();
      }
      return d;
    }
    throw new IllegalArgumentException("cosine compares arrays of numbers, not " + o.getClass().getSimpleName());
  }
}
