package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import io.ddp.viz.DagPicture;
import io.ddp.viz.PictureRenderer;
import io.ddp.viz.RunView;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddp viz}: draws the data DAG. */
@Command(name = "viz", mixinStandardHelpOptions = true,
    description = {"Draws the pipeline's data DAG: datasets (id, format, location, role, encryption) and pipes",
        "(index, name or type) grouped by stage. The output's extension picks the format: .svg and .png need",
        "Graphviz's dot command; .dot needs nothing. 'ddp run --viz FILE' draws it live during a run."})
final class VizCommand implements Callable<Integer> {
  @Mixin
  PipelineOptions pipeline;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The picture: out.svg, out.png or out.dot.")
  Path output;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PipelineLoader.Loaded loaded = PipelineFile.load(pipeline, spec.commandLine().getErr());
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    PictureRenderer.render(DagPicture.dot(loaded.plan(), RunView.EMPTY), output);
    spec.commandLine().getOut().println("wrote " + output);
    spec.commandLine().getOut().flush();
    return DdpCommand.EXIT_OK;
  }
}
