package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.spark.exec.PipeFailedException;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.exec.SparkExecutor;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddp run}: validates, then runs a pipeline in one SparkSession. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Validates the pipeline (exit 2 on errors, before any Spark starts), then runs it.",
        "Exit 0 on success, 1 when a pipe or a write fails (the message names the pipe and the root cause).",
        "Spark conf: the pipeline's \"spark\" block, then --conf. Master: --master, else the one spark-submit set,",
        "else local[*]."})
final class RunCommand implements Callable<Integer> {
  @Mixin
  PipelineOptions pipeline;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration; overrides the pipeline's \"spark\" block. Repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[4], spark://host:7077, yarn.")
  String master;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    PipelineLoader.Loaded loaded = Loading.load(pipeline.file, pipeline.vars, err);
    if (loaded.hasErrors()) {
      return DdpCommand.EXIT_INVALID;
    }
    ExecutionPlan plan = loaded.plan();
    boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SparkSessions.create(plan.pipeline(), conf, Optional.ofNullable(master));
    try {
      RunResult result = SparkExecutor.builder(spark).build().run(plan);
      out.println(result.summary());
      out.flush();
      return DdpCommand.EXIT_OK;
    } catch (PipeFailedException e) {
      err.println("ddp run: " + e.getMessage());
      err.flush();
      return DdpCommand.EXIT_FAILED;
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }
}
