package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import io.ddp.core.validate.Problem;
import io.ddp.spark.exec.StaticSchemaCheck;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddp validate}: checks a pipeline without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Checks a pipeline without running it: the declaration, then the schemas flowing through the DAG",
        "(each pipe's required columns and output schema, partitionBy, metrics) in an analysis-only local Spark",
        "session that reads no data and starts no job.",
        "Prints 'OK: N datasets, N pipes, N metrics' and exits 0, or prints every problem, one per line",
        "as FILE:LINE:COLUMN: error: WHAT: MESSAGE, on stderr and exits 2. Warnings never fail validation."})
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  PipelineOptions pipeline;

  @Option(names = "--no-spark", description = "Check the declaration only; start no Spark session (no schema checks).")
  boolean noSpark;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration for the analysis, as for ddp run. Repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PipelineLoader.Loaded loaded = PipelineFile.load(pipeline, err);
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    if (!noSpark) {
      StaticSchemaCheck.Result schemas = SchemaAnalysis.of(loaded.plan(), conf);
      schemas.problems().forEach(p -> err.println(p.format(loaded.sources())));
      if (schemas.hasErrors()) {
        long n = schemas.problems().stream().filter(Problem::isError).count();
        err.println(pipeline.file + ": " + n + (n == 1 ? " error" : " errors") + "; nothing was run");
        err.flush();
        return DdpCommand.EXIT_INVALID;
      }
      err.flush();
    }
    var p = loaded.pipeline();
    spec.commandLine().getOut().println("OK: " + p.data().size() + " datasets, " + p.transformers().size() + " pipes, "
        + p.metrics().size() + " metrics");
    spec.commandLine().getOut().flush();
    return DdpCommand.EXIT_OK;
  }
}
