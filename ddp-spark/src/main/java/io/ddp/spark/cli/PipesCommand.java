package io.ddp.spark.cli;

import io.ddp.core.pipe.PipeRegistration;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ddp pipes}: lists the registered transformer types. */
@Command(name = "pipes", mixinStandardHelpOptions = true,
    description = "Lists the transformerType aliases registered on the class path, with their classes.")
final class PipesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (PipeRegistration r : PipelineFile.pipeTypes().registrations()) {
      out.println(r.alias() + "\t" + r.pipeClass().getName() + (r.description().isEmpty() ? "" : "\t" + r.description()));
    }
    out.flush();
    return DdpCommand.EXIT_OK;
  }
}
