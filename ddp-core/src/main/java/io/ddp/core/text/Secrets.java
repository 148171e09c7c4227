package io.ddp.core.text;

import java.util.regex.Pattern;

/**
 * The one place that decides what of a text is secret, for everything DDP shows: logs, messages,
 * the run report, the run state, {@code --dry-run}, the resume hint and the DAG picture.
 *
 * <pre>{@code
 * Secrets.mask("jdbc:postgresql://db/shop?user=etl&password=hunter2")  // ...?user=etl&password=***
 * Secrets.mask("s3a://AKIA:wJalr@bucket/x")                             // s3a://AKIA:***@bucket/x
 * Secrets.assignment("spark.hadoop.fs.s3a.secret.key", "wJalr")          // spark.hadoop.fs.s3a.secret.key=***
 * }</pre>
 */
public final class Secrets {
  public static final String MASK = "***";
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(secret|password|passwd|pwd|token|credential|private[._-]?key|access[._-]?key|api[._-]?key|session[._-]?key|signature).*");
  /** {@code password=...} in JDBC URLs, query strings and option lists, up to a separator. */
  private static final Pattern SECRET_PARAM = Pattern.compile(
      "(?i)\\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|credential|api[_-]?key|access[_-]?key)[a-z0-9_.-]*)=([^;&,\\s\"')]+)");
  /** {@code scheme://user:password@host}. */
  private static final Pattern URL_PASSWORD = Pattern.compile("://([^/:@\\s]+):([^@/\\s]+)@");

  private Secrets() {}

  /** Whether a setting or variable of this name holds a secret (its value is never shown). */
  public static boolean isSecretName(String name) {
    return name != null && SECRET_NAME.matcher(name).matches();
  }

  /**
   * The text with the value of every secret-named setting (a dataset's {@code password} option, its
   * {@code s3.secretKey}) replaced by {@value #MASK} wherever it appears, then masked as by
   * {@link #mask(String)}: for messages that may quote a driver's or a store's error verbatim.
   */
  public static String mask(String text, java.util.Map<String, String> settings) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (java.util.Map.Entry<String, String> e : settings.entrySet()) {
      if (isSecretName(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
        out = out.replace(e.getValue(), MASK);
      }
    }
    return mask(out);
  }

  /** The text with every password-like parameter and URL password replaced by {@value #MASK}. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = SECRET_PARAM.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "=" + MASK));
    return URL_PASSWORD.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement("://" + m.group(1) + ":" + MASK + "@"));
  }

  /** {@code name=value} as it may be shown: the value masked whole for a secret name, else {@link #mask}ed. */
  public static String assignment(String name, String value) {
    return name + "=" + (isSecretName(name) ? MASK : mask(value));
  }
}
