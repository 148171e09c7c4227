package io.ddp.spark;

import io.ddp.spark.cli.DdpCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Entry point for an AWS Glue Spark job (job type Spark, language Scala, main class
 * {@code io.ddp.spark.GlueMain}). Glue calls {@code main} with its own arguments ({@code --JOB_NAME},
 * {@code --JOB_ID}, {@code --JOB_RUN_ID}, {@code --TempDir}, {@code --job-bookmark-option}, ...) and the
 * job's parameters, all as {@code --KEY VALUE} pairs; a job parameter cannot repeat a key. DDP reads:
 *
 * <ul>
 *   <li>{@code --pipeline LOCATION} (required): the pipeline file, e.g. {@code s3://bucket/p/scoring.json};
 *   <li>{@code --command run|validate|plan} (default {@code run});
 *   <li>{@code --var-NAME VALUE}: sets variable NAME, as {@code --var NAME=VALUE} does;
 *   <li>{@code --conf-KEY VALUE}: a Spark setting for the run, as {@code --conf KEY=VALUE} does;
 *   <li>{@code --ddp-OPTION VALUE}: any other option of the command, e.g. {@code --ddp-state-dir
 *       s3://bucket/state} or {@code --ddp-resume true} (a flag is given with {@code true}).
 * </ul>
 *
 * Glue's own arguments are accepted and left alone; other keys are ignored with a warning (a
 * misspelt DDP key is then visible in the job's log). Success returns normally, as Glue expects; a
 * failure throws, so that the job run fails with DDP's message.
 */
public final class GlueMain {
  /** Keys Glue itself passes or consumes (AWS Glue "job parameters" and the arguments of a job run). */
  static final Set<String> GLUE_KEYS = Set.of("JOB_NAME", "JOB_ID", "JOB_RUN_ID", "TempDir", "job-bookmark-option",
      "job-language", "class", "scriptLocation", "extra-jars", "extra-files", "extra-py-files", "user-jars-first",
      "enable-metrics", "enable-observability-metrics", "enable-continuous-cloudwatch-log", "enable-continuous-log-filter",
      "continuous-log-logGroup", "continuous-log-logStreamPrefix", "continuous-log-conversionPattern", "enable-spark-ui",
      "spark-event-logs-path", "enable-glue-datacatalog", "enable-job-insights", "enable-auto-scaling", "enable-rename-algorithm-v2",
      "enable-s3-parquet-optimized-committer", "datalake-formats", "conf", "encryption-type", "redshift-tmp-dir",
      "additional-python-modules", "python-modules-installer-option", "auto-scale-within-microbatch", "customer-driver-env-vars",
      "customer-executor-env-vars", "write-shuffle-files-to-s3", "write-shuffle-spills-to-s3", "disable-proxy-v2",
      "security_configuration", "job-run-queuing-enabled", "glue-version", "executor-cores", "WORKFLOW_NAME", "WORKFLOW_RUN_ID");

  private GlueMain() {}

  public static void main(String[] args) {
    Translation t = translate(args);
    t.warnings().forEach(w -> System.err.println("ddp (Glue): " + w));
    int code = DdpCommand.commandLine().execute(t.ddpArgs().toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("ddp " + String.join(" ", t.ddpArgs().subList(0, 2)) + " failed with exit code " + code
          + (code == DdpCommand.EXIT_INVALID ? " (the pipeline or the arguments are invalid; every problem is printed above)"
              : " (a pipe or a write failed; the message above names it)"));
    }
  }

  /** DDP's command line for Glue's arguments, and what was ignored. */
  record Translation(List<String> ddpArgs, List<String> warnings) {}

  /**
   * Reads Glue's {@code --KEY VALUE} pairs.
   *
   * @throws IllegalArgumentException when {@code --pipeline} is missing, a value is missing, or the command is unknown
   */
  static Translation translate(String[] args) {
    Map<String, String> pairs = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        warnings.add("ignored argument '" + a + "' (Glue passes --KEY VALUE pairs)");
        continue;
      }
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq > 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = "";
      }
      pairs.put(key, value);
    }
    String pipeline = pairs.get("pipeline");
    if (pipeline == null || pipeline.isBlank()) {
      throw new IllegalArgumentException("the Glue job has no --pipeline parameter: add the job parameter --pipeline with the"
          + " pipeline file's location (e.g. s3://bucket/pipelines/scoring.json)");
    }
    String command = pairs.getOrDefault("command", "run").toLowerCase(Locale.ROOT);
    if (!Set.of("run", "validate", "plan").contains(command)) {
      throw new IllegalArgumentException("--command must be run, validate or plan, not '" + command + "'");
    }
    List<String> out = new ArrayList<>(List.of(command, pipeline));
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key.equals("pipeline") || key.equals("command") || GLUE_KEYS.contains(key)) {
        continue;
      }
      if (key.startsWith("var-") && key.length() > 4) {
        out.add("--var");
        out.add(key.substring(4) + "=" + value);
      } else if (key.startsWith("conf-") && key.length() > 5) {
        out.add("--conf");
        out.add(key.substring(5) + "=" + value);
      } else if (key.startsWith("ddp-") && key.length() > 4) {
        if (value.equalsIgnoreCase("true") || value.isEmpty()) {
          out.add("--" + key.substring(4));
        } else if (!value.equalsIgnoreCase("false")) {
          out.add("--" + key.substring(4));
          out.add(value);
        }
      } else {
        warnings.add("ignored job parameter --" + key + " (DDP reads --pipeline, --command, --var-NAME, --conf-KEY and"
            + " --ddp-OPTION)");
      }
    }
    return new Translation(List.copyOf(out), List.copyOf(warnings));
  }
}
