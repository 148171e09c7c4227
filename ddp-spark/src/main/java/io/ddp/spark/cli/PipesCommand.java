package io.ddp.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.spark.PipeCatalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddp pipes}: the catalog of pipe types on the class path. */
@Command(name = "pipes", mixinStandardHelpOptions = true,
    description = {"Lists the pipe types (transformerType aliases) registered on the class path: alias, class, description.",
        "See 'ddp describe TYPE' for one pipe's params and contract."})
final class PipesCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--json", description = "Print the catalog as JSON: {\"pipes\": [{\"type\", \"class\", \"description\","
      + " \"params\" (JSON Schema), \"contract\"}, ...]}.")
  boolean json;

  @Option(names = "--schema", description = "Print the pipeline file's JSON Schema with every listed pipe's params,"
      + " for editors (docs/pipeline.schema.json is this, for the built-in pipes).")
  boolean schema;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PipeCatalog catalog = PipeCatalog.load(Thread.currentThread().getContextClassLoader());
    if (schema) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(catalog.pipelineSchema()));
    } else if (json) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(catalog.toJson()));
    } else {
      for (PipeCatalog.Entry e : catalog.entries()) {
        out.println(e.type() + "\t" + e.pipeClass().getName() + (e.description().isEmpty() ? "" : "\t" + e.description()));
      }
    }
    out.flush();
    return DdpCommand.EXIT_OK;
  }
}
