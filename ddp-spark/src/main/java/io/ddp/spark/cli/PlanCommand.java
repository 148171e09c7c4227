package io.ddp.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.PipelineLoader;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.Stage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddp plan}: prints the execution order. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Prints the stages in execution order, one pipe per line:",
        "  stage 1: #1 PreprocessTransformer [InputData] -> IntermediateData",
        "Stage 1 holds pipes that read only sources; stage k+1 those whose inputs are ready after stage k."})
final class PlanCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  PipelineOptions pipeline;

  @Option(names = "--json", description = "Print {\"stages\":[[{\"index\":1,\"name\":...,\"transformerType\":...,"
      + "\"inputDataId\":[...],\"outputDataId\":...}],...]} instead.")
  boolean json;

  @Option(names = "--schemas", description = {"Also print the schema flowing on every edge: each pipe's inputs and output,",
      "declared, stated by the pipe or derived on empty inputs in an analysis-only local Spark session (no data is",
      "read); '?' where it cannot be told before the run. With --json, each pipe gets \"inputSchemas\" and \"outputSchema\"."})
  boolean schemas;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration for --schemas, as for ddp run. Repeatable.")
  java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PipelineLoader.Loaded loaded = PipelineFile.load(pipeline, spec.commandLine().getErr());
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    ExecutionPlan plan = loaded.plan();
    PrintWriter out = spec.commandLine().getOut();
    java.util.Map<String, org.apache.spark.sql.types.StructType> known = java.util.Map.of();
    if (schemas) {
      io.ddp.spark.exec.StaticSchemaCheck.Result checked = SchemaAnalysis.of(plan, conf);
      PrintWriter err = spec.commandLine().getErr();
      checked.problems().forEach(p -> err.println(p.format(loaded.sources())));
      err.flush();
      known = checked.schemas();
    }
    if (json) {
      ObjectNode root = toJson(plan);
      if (schemas) {
        addSchemas(root, plan, known);
      }
      out.println(JSON.writeValueAsString(root));
    } else {
      for (Stage stage : plan.stages()) {
        for (PlannedPipe p : stage.pipes()) {
          out.println("stage " + stage.number() + ": " + p.describe());
          if (schemas) {
            for (String in : p.declaration().inputDataId()) {
              out.println("    in  " + in + ": " + ddl(known.get(in)));
            }
            out.println("    out " + p.declaration().outputDataId() + ": " + ddl(known.get(p.declaration().outputDataId())));
          }
        }
      }
    }
    out.flush();
    return DdpCommand.EXIT_OK;
  }

  private static String ddl(org.apache.spark.sql.types.StructType schema) {
    return schema == null ? "?" : schema.toDDL();
  }

  private static void addSchemas(ObjectNode root, ExecutionPlan plan, java.util.Map<String, org.apache.spark.sql.types.StructType> known) {
    int stage = 0;
    for (Stage s : plan.stages()) {
      int i = 0;
      for (PlannedPipe p : s.pipes()) {
        ObjectNode n = (ObjectNode) root.get("stages").get(stage).get(i++);
        ObjectNode inputs = n.putObject("inputSchemas");
        p.declaration().inputDataId().forEach(id -> {
          if (known.containsKey(id)) {
            inputs.put(id, known.get(id).toDDL());
          } else {
            inputs.putNull(id);
          }
        });
        org.apache.spark.sql.types.StructType out = known.get(p.declaration().outputDataId());
        if (out == null) {
          n.putNull("outputSchema");
        } else {
          n.put("outputSchema", out.toDDL());
        }
      }
      stage++;
    }
  }

  static ObjectNode toJson(ExecutionPlan plan) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode stages = root.putArray("stages");
    for (Stage stage : plan.stages()) {
      ArrayNode s = stages.addArray();
      for (PlannedPipe p : stage.pipes()) {
        ObjectNode n = s.addObject();
        n.put("index", p.index());
        n.put("name", p.declaration().name());
        n.put("transformerType", p.declaration().transformerType());
        ArrayNode inputs = n.putArray("inputDataId");
        p.declaration().inputDataId().forEach(inputs::add);
        n.put("outputDataId", p.declaration().outputDataId());
      }
    }
    return root;
  }
}
