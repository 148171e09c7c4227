package io.ddp.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Close matches for a mistyped name, for "did you mean" hints. Distance is the optimal string
 * alignment distance (Levenshtein plus transpositions) on lower-cased text; a candidate is close when
 * the distance is at most a third of the longer name (at least 1), or when one name contains the other.
 */
public final class Suggestions {
  private static final int MAX = 3;

  private Suggestions() {}

  /** Up to three candidates closest to {@code typed}, best first; empty when none is close. */
  public static List<String> closest(String typed, Collection<String> candidates) {
    if (typed == null || typed.isEmpty()) {
      return List.of();
    }
    String t = typed.toLowerCase(Locale.ROOT);
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String candidate : candidates) {
      if (candidate.equals(typed)) {
        continue;
      }
      String c = candidate.toLowerCase(Locale.ROOT);
      int d = distance(t, c);
      int limit = Math.max(1, Math.max(t.length(), c.length()) / 3);
      boolean contains = t.length() >= 3 && c.length() >= 3 && (c.contains(t) || t.contains(c));
      if (d <= limit || contains) {
        scored.add(new Scored(candidate, contains ? Math.min(d, limit) : d));
      }
    }
    return scored.stream()
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .limit(MAX)
        .map(Scored::name)
        .collect(Collectors.toList());
  }

  /**
   * A hint to append to a message: {@code " (did you mean 'x'?)"} or
   * {@code " (did you mean one of 'x', 'y'?)"}, or empty text when nothing is close.
   */
  public static String didYouMean(String typed, Collection<String> candidates) {
    List<String> close = closest(typed, candidates);
    if (close.isEmpty()) {
      return "";
    }
    if (close.size() == 1) {
      return " (did you mean '" + close.get(0) + "'?)";
    }
    return close.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", " (did you mean one of ", "?)"));
  }

  static int distance(String a, String b) {
    int n = a.length();
    int m = b.length();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[n][m];
  }
}
