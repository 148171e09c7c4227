package io.ddp.spark.exec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what went wrong when executors cannot load a class or a native library that the driver could:
 * Spark reports it as a stage that failed four times with the executor's stack trace as text, which
 * hides the one fact a user needs (which class or library, and how to ship it).
 */
final class ExecutorFailures {
  private static final Pattern CLASS = Pattern.compile(
      "(?:java\\.lang\\.)?(ClassNotFoundException|NoClassDefFoundError): (?!Could not initialize)([\\w.$/-]+)");
  private static final Pattern LIBRARY = Pattern.compile("(?:java\\.lang\\.)?UnsatisfiedLinkError: ([^\\n\\r]+)");
  private static final String MISSING_LAMBDA_CLASS = "cannot assign instance of java.lang.invoke.SerializedLambda";
  private static final Pattern FROM_EXECUTOR = Pattern.compile("Lost task|Job aborted due to stage failure|executor \\d+");

  private ExecutorFailures() {}

  /** An explanation when {@code e} is a class or native library the executors could not load; empty otherwise. */
  static Optional<String> explain(Throwable e) {
    StringBuilder text = new StringBuilder();
    boolean onExecutors = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      text.append(t.getClass().getName()).append(": ").append(m).append('\n');
      onExecutors |= FROM_EXECUTOR.matcher(m).find();
      if (t.getCause() == null) {
        break;
      }
    }
    if (!onExecutors) {
      return Optional.empty();
    }
    Matcher library = LIBRARY.matcher(text);
    if (library.find()) {
      return Optional.of("the executors cannot load a native library (UnsatisfiedLinkError: " + library.group(1).trim()
          + "); install it on every worker node, or ship it with spark-submit --files or --archives and add its directory to"
          + " spark.executor.extraLibraryPath (a library inside a jar, as ONNX Runtime's, needs that jar on the executors:"
          + " --jars)");
    }
    Matcher cls = CLASS.matcher(text);
    if (cls.find()) {
      String name = cls.group(2).replace('/', '.');
      return Optional.of("the executors cannot load class " + name + " (" + cls.group(1) + " in a task): the driver has it and"
          + " the executors do not; ship the jar that holds it with spark-submit --jars (or spark.jars), not only"
          + " --driver-class-path, or put it on every worker's class path");
    }
    if (text.indexOf(MISSING_LAMBDA_CLASS) >= 0) {
      // Java cannot resolve a serialized function whose class (or a class it captures) is missing, and
      // says so only as a ClassCastException of the unresolved SerializedLambda.
      return Optional.of("the executors cannot load this pipe's code (a function from a class they do not have: Java reports"
          + " it as 'cannot assign instance of java.lang.invoke.SerializedLambda'): the driver has the pipe's jar and the"
          + " executors do not; ship it with spark-submit --jars (or spark.jars), not only --driver-class-path or"
          + " spark.driver.extraClassPath, or put it on every worker's class path");
    }
    return Optional.empty();
  }
}
