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
    if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("spark.master") == null) {
      // Outside spark-submit, keep Spark's logging quiet and show DDP's progress.
      System.setProperty("log4j2.configurationFile", "classpath:io/ddp/spark/cli/log4j2-cli.properties");
    }
    int code = DdpCommand.commandLine().execute(args);
    System.exit(code);
  }
}
