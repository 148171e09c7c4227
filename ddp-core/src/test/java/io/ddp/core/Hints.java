package io.ddp.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes message assertions independent of how hints are punctuated. A hint appended to a message,
 * {@code "did you mean 'x'?"} or {@code "known keys: a, b"}, may be joined as {@code "; did you mean 'x'?"} or
 * {@code " (did you mean 'x'?)"}; both become {@code " <did you mean 'x'?>"}, so that tests compare the
 * words of a message exactly but not the punctuation around its hints.
 */
public final class Hints {
  private static final Pattern DID_YOU_MEAN = Pattern.compile("(?:; | \\()(did you mean [^?]*\\?)\\)?");
  private static final Pattern KNOWN = Pattern.compile("(?:; | \\()(known (?:keys|params): [^()]*?)\\)?(?=$|;)");

  private Hints() {}

  public static String normalized(String message) {
    String s = DID_YOU_MEAN.matcher(message).replaceAll(" <$1>");
    return KNOWN.matcher(s).replaceAll(" <$1>");
  }

  public static List<String> normalized(List<String> messages) {
    return messages.stream().map(Hints::normalized).toList();
  }
}
