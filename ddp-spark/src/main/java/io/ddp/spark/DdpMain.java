package io.ddp.spark;

import io.ddp.spark.cli.DdpCommand;

/**
 * Entry point of the {@code ddp} launcher and of {@code spark-submit}:
 *
 * <pre>{@code
 * spark-submit --class io.ddp.spark.DdpMain ddp-runner.jar run pipeline.json --var in=s3a://bucket/in
 * }</pre>
 */
public final class DdpMain {
  private DdpMain() {}

  public static void main(String[] args) {
    io.ddp.spark.cli.DdpCommand.markMainStarted();
    if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("spark.master") == null) {
      // Outside spark-submit: quiet (each pipe's end, declared metrics, warnings and errors), or with
      // -v also DDP's progress and Spark's own log.
      System.setProperty("log4j2.configurationFile", verbose(args) ? "classpath:io/ddp/spark/cli/log4j2-cli-verbose.properties"
          : "classpath:io/ddp/spark/cli/log4j2-cli.properties");
    }
    // After the logging configuration is chosen: the first logger fixes it.
    io.ddp.spark.cli.EarlyStart.fromCommandLine(args);
    int code = DdpCommand.commandLine().execute(args);
    System.exit(code);
  }

  /** Whether the command asks for progress and Spark's log: {@code -v} or {@code --verbose} before any {@code --}. */
  static boolean verbose(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("-v") || a.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
