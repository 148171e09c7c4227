package io.ddp.spark.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The pipeline file and its variables, shared by every command that reads a pipeline. */
final class PipelineOptions {
  @Parameters(index = "0", paramLabel = "PIPELINE.json",
      description = "The pipeline declaration: a local path, or a URI read through Hadoop (s3a://, hdfs://, local:// for a file in the image).")
  String file;

  @Option(names = "--var", paramLabel = "NAME=VALUE", mapFallbackValue = "",
      description = "Sets variable NAME (used as $${NAME} in the pipeline); overrides its \"variables\" value. Repeatable.")
  Map<String, String> vars = new LinkedHashMap<>();

  PipelineSource source() {
    return PipelineSource.of(file);
  }
}
