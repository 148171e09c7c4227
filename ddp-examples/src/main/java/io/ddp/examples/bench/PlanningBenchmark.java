package io.ddp.examples.bench;

import io.ddp.core.PipelineLoader;
import io.ddp.core.json.PipelineReader;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Planner;
import io.ddp.core.validate.Validator;
import io.ddp.spark.SparkPipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How reading, validating and planning scale with pipeline size: the same work on 1,000, 10,000 and
 * 100,000 pipes in three shapes, timed in one run, printed with the ratio between sizes (10 means
 * linear). Includes JSON parsing with positions, variables, every validation rule (pipe types and
 * params binding too) and staging. Run: {@code DDP_MAIN_CLASS=io.ddp.examples.bench.PlanningBenchmark ./ddp}.
 */
public final class PlanningBenchmark {
  private PlanningBenchmark() {}

  public static void main(String[] args) {
    int[] sizes = {1_000, 10_000, 100_000};
    String[] shapes = {"chain", "fan-in", "random-dag"};
    PipeTypes types = SparkPipe.types(Thread.currentThread().getContextClassLoader());
    Validator validator = Validator.withChecksFrom(types, Thread.currentThread().getContextClassLoader());
    System.out.printf(Locale.ROOT, "%-11s %8s %12s %12s %10s%n", "shape", "pipes", "median ms", "ms/1k pipes", "x previous");
    for (String shape : shapes) {
      double previous = -1;
      for (int n : sizes) {
        String json = pipeline(shape, n);
        int runs = n >= 100_000 ? 3 : 7;
        double[] ms = new double[runs];
        for (int warm = 0; warm < 2; warm++) {
          run(json, validator);
        }
        for (int r = 0; r < runs; r++) {
          long t0 = System.nanoTime();
          ExecutionPlan plan = run(json, validator);
          ms[r] = (System.nanoTime() - t0) / 1e6;
          if (plan.order().size() != n) {
            throw new IllegalStateException("planned " + plan.order().size() + " of " + n + " pipes");
          }
        }
        java.util.Arrays.sort(ms);
        double median = ms[runs / 2];
        System.out.printf(Locale.ROOT, "%-11s %8d %12.1f %12.2f %10s%n", shape, n, median, median / (n / 1000.0),
            previous < 0 ? "-" : String.format(Locale.ROOT, "%.1f", median / previous));
        previous = median;
      }
    }
  }

  private static ExecutionPlan run(String json, Validator validator) {
    PipelineLoader.Loaded loaded = PipelineLoader.validate(
        PipelineReader.read(json, "bench.json", "bench", Map.of(), name -> null), validator);
    if (loaded.hasErrors()) {
      throw new IllegalStateException(loaded.errors().get(0).toString());
    }
    return Planner.plan(loaded.pipeline(), loaded.sources());
  }

  /** A pipeline of n sql-free pipes; every pipe declares params so binding is part of the cost. */
  static String pipeline(String shape, int n) {
    Random random = new Random(42);
    StringBuilder data = new StringBuilder("{\"dataId\": \"Src\", \"location\": \"${in}/src.parquet\"}");
    StringBuilder pipes = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      List<String> inputs = new ArrayList<>();
      switch (shape) {
        case "chain":
          inputs.add(i == 1 ? "Src" : "D" + (i - 1));
          break;
        case "fan-in":
          // n-1 pipes read the source, the last reads all of them.
          if (i < n) {
            inputs.add("Src");
          } else {
            for (int k = 1; k < n; k++) {
              inputs.add("D" + k);
            }
          }
          break;
        default:
          inputs.add(i == 1 ? "Src" : "D" + (1 + random.nextInt(i - 1)));
          if (i > 2) {
            String second = "D" + (1 + random.nextInt(i - 1));
            if (!inputs.contains(second)) {
              inputs.add(second);
            }
          }
      }
      boolean last = i == n || (!shape.equals("fan-in") && i % 100 == 0);
      data.append(",\n{\"dataId\": \"D").append(i).append('"')
          .append(last ? ", \"location\": \"${out}/d" + i + ".parquet\"" : "").append('}');
      pipes.append(i == 1 ? "" : ",\n").append("{\"inputDataId\": [");
      for (int k = 0; k < inputs.size(); k++) {
        pipes.append(k == 0 ? "" : ", ").append('"').append(inputs.get(k)).append('"');
      }
      pipes.append("], \"transformerType\": \"").append(i % 2 == 0 ? "PreprocessTransformer" : "ModelPredictionTransformer")
          .append("\", \"outputDataId\": \"D").append(i).append("\", \"params\": ")
          .append(i % 2 == 0 ? "{\"textColumns\": [\"title\", \"text\"]}" : "{\"threshold\": 0.5}").append('}');
    }
    return "{\"name\": \"bench\", \"variables\": {\"in\": \"/data\", \"out\": \"/out\"},\n\"data\": [" + data
        + "],\n\"transformers\": [" + pipes + "]}";
  }
}
