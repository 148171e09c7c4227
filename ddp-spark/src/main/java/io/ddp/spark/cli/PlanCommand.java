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

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PipelineLoader.Loaded loaded = PipelineFile.load(pipeline.file, pipeline.vars, spec.commandLine().getErr());
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    ExecutionPlan plan = loaded.plan();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(toJson(plan)));
    } else {
      for (Stage stage : plan.stages()) {
        for (PlannedPipe p : stage.pipes()) {
          out.println("stage " + stage.number() + ": " + p.describe());
        }
      }
    }
    out.flush();
    return DdpCommand.EXIT_OK;
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
