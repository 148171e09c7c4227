package io.ddp.spark.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The pipeline file and its variables, shared by every command that reads a pipeline. */
final class PipelineOptions {
  @Parameters(index = "0", paramLabel = "PIPELINE.json", description = "The pipeline declaration.")
  Path file;

  @Option(names = "--var", paramLabel = "NAME=VALUE", mapFallbackValue = "",
      description = "Sets variable NAME (used as $${NAME} in the pipeline); overrides its \"variables\" value. Repeatable.")
  Map<String, String> vars = new LinkedHashMap<>();
}
