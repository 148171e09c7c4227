package io.ddp.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.core.exceptions.DdpException;
import io.ddp.spark.PipeCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ddp describe TYPE}: one pipe's params and contract. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = {"Describes one pipe type (an alias from 'ddp pipes' or a class name): its class, description,",
        "each param (name, type, required, default, meaning) and its contract."})
final class DescribeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(paramLabel = "TYPE", description = "A transformerType: alias or fully qualified class name.")
  String type;

  @Option(names = "--json", description = "Print the catalog entry as JSON (as in 'ddp pipes --json').")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PipeCatalog.Entry e;
    try {
      e = PipeCatalog.load(Thread.currentThread().getContextClassLoader()).describe(type);
    } catch (DdpException ex) {
      spec.commandLine().getErr().println("ddp describe: " + ex.getMessage());
      spec.commandLine().getErr().flush();
      return DdpCommand.EXIT_INVALID;
    }
    if (json) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e.toJson()));
      out.flush();
      return DdpCommand.EXIT_OK;
    }
    out.println(e.type() + " (" + e.pipeClass().getName() + ")");
    if (!e.description().isEmpty()) {
      out.println("  " + e.description());
    }
    out.println("params:");
    JsonNode properties = e.params().path("properties");
    List<String> required = new ArrayList<>();
    e.params().path("required").forEach(r -> required.add(r.asText()));
    if (!properties.fields().hasNext()) {
      out.println("  (none)");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode s = p.getValue();
      StringBuilder line = new StringBuilder("  " + p.getKey() + ": " + typeOf(s));
      line.append(required.contains(p.getKey()) ? ", required" : ", optional");
      if (s.has("default")) {
        line.append(", default ").append(s.get("default"));
      }
      if (s.has("description")) {
        line.append(" - ").append(s.get("description").asText());
      }
      out.println(line);
    }
    out.println("contract:");
    e.contract().forEach((k, v) -> out.println("  " + k + ": " + v));
    out.flush();
    return DdpCommand.EXIT_OK;
  }

  private static String typeOf(JsonNode s) {
    String t = s.path("type").asText("any");
    if ("array".equals(t)) {
      return "list of " + typeOf(s.path("items"));
    }
    if ("object".equals(t) && s.has("additionalProperties") && s.get("additionalProperties").isObject()) {
      return "map of " + typeOf(s.get("additionalProperties"));
    }
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      s.get("enum").forEach(v -> values.add(v.asText()));
      return "one of " + String.join(", ", values);
    }
    return t;
  }
}
