package io.ddp.core.text;

/** Turns exceptions and long messages (Spark's, with plans and SQL excerpts) into the one-line reasons DDP's messages quote. */
public final class Messages {
  private Messages() {}

  /** The first non-empty line of a message, without the plan or SQL excerpt Spark appends. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }

  /** The deepest cause. */
  public static Throwable root(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** The deepest cause's class and first line, e.g. {@code IllegalStateException: boom}. */
  public static String rootCause(Throwable t) {
    Throwable root = root(t);
    String message = firstLine(root.getMessage());
    return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
