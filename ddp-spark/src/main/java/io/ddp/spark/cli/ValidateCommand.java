package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ddp validate}: checks a pipeline without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Checks a pipeline declaration without starting Spark.",
        "Prints 'OK: N datasets, N pipes, N metrics' and exits 0, or prints every problem, one per line",
        "as FILE:LINE:COLUMN: error: WHAT: MESSAGE, on stderr and exits 2. Warnings never fail validation."})
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  PipelineOptions pipeline;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PipelineLoader.Loaded loaded = PipelineFile.load(pipeline.file, pipeline.vars, spec.commandLine().getErr());
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    var p = loaded.pipeline();
    spec.commandLine().getOut().println("OK: " + p.data().size() + " datasets, " + p.transformers().size() + " pipes, "
        + p.metrics().size() + " metrics");
    spec.commandLine().getOut().flush();
    return DdpCommand.EXIT_OK;
  }
}
