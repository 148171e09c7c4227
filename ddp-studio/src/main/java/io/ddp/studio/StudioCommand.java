package io.ddp.studio;

import io.ddp.spark.cli.CommandExtension;
import io.ddp.spark.cli.DdpCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ddp studio}: opens a pipeline in the browser, to see, edit, check and run it. */
@Command(name = "studio", mixinStandardHelpOptions = true,
    description = {"Serves DDP Studio on 127.0.0.1 for a pipeline file: the data DAG laid out, every edit checked as",
        "'ddp validate' checks, saving to the file, template code for new pipes, runs with live status, previews.",
        "Prints the URL to open (with its access token). Given a directory, opens its first pipeline and lists the others."})
public final class StudioCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "PIPELINE.json|DIR", defaultValue = ".",
      description = "The pipeline file to open, or a directory with pipelines (default: the current directory).")
  Path target;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "Port on 127.0.0.1 (default: a free one).")
  int port;

  @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Sets a pipeline variable for checks and runs. Repeatable.")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(names = "--project", paramLabel = "DIR",
      description = "Where generated pipes go (src/main/java, src/test/java); default: the nearest directory with a pom.xml"
          + " at or above the pipeline's, else the pipeline's own.")
  Path project;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:DDP_STATE_DIR:-.ddp/state}",
      description = "Run state directory, as for 'ddp run': runs started there (here or in a terminal) are shown live.")
  String stateDir;

  @Spec
  CommandSpec spec;

  /** Makes {@code ddp studio} a subcommand of {@code ddp} when this module is on the class path. */
  public static final class Extension implements CommandExtension {
    @Override
    public Object command() {
      return new StudioCommand();
    }
  }

  @Override
  public Integer call() throws Exception {
    Path file;
    try {
      file = pipelineFile(target);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("ddp studio: " + e.getMessage());
      return DdpCommand.EXIT_INVALID;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (Studio studio = new Studio(file, vars, port, project, stateDir)) {
      String url = studio.start();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "ddp-studio-stop"));
      spec.commandLine().getOut().println("DDP Studio for " + file + ":");
      spec.commandLine().getOut().println("  " + url);
      spec.commandLine().getOut().println("Open the URL in a browser on this machine (the token in it is required); stop with Ctrl+C.");
      spec.commandLine().getOut().flush();
      stopped.await();
    }
    return DdpCommand.EXIT_OK;
  }

  /** The file itself, or the first pipeline file in a directory (its top level, then pipelines/). */
  static Path pipelineFile(Path target) {
    Path t = target.toAbsolutePath().normalize();
    if (Files.isRegularFile(t)) {
      return t;
    }
    if (!Files.isDirectory(t)) {
      throw new IllegalArgumentException("no file or directory " + target + "; give a pipeline .json file or a directory with one");
    }
    List<Path> found = pipelines(t);
    if (found.isEmpty()) {
      throw new IllegalArgumentException("no pipeline file in " + t + " or its pipelines/ directory (a .json file with"
          + " \"data\" and \"transformers\"); give one, or create a project with 'ddp new'");
    }
    return found.get(0);
  }

  /** The pipeline files (JSON objects with "data" or "transformers") in {@code dir} and {@code dir/pipelines}. */
  static List<Path> pipelines(Path dir) {
    return Stream.of(dir, dir.resolve("pipelines")).filter(Files::isDirectory).flatMap(d -> {
      try (Stream<Path> files = Files.list(d)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).sorted().toList().stream();
      } catch (IOException e) {
        return Stream.empty();
      }
    }).filter(StudioCommand::isPipeline).toList();
  }

  private static boolean isPipeline(Path f) {
    try {
      var root = Json.read(Files.readString(f));
      return root.isObject() && (root.has("transformers") || root.has("data"));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }
}
