package io.ddp.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person reads after {@code ddp run} (a separate JVM started as the launcher starts it, since
 * the log configuration is chosen at start): by default one line per pipe as it ends, the declared
 * metric once, the summary; with {@code -v} also the plan, the starts, progress and built-in metrics.
 */
class QuietOutputTest {
  @TempDir
  Path dir;

  private String run(Path pipeline, String... extra) throws Exception {
    return run(0, pipeline, extra);
  }

  private String run(int exit, Path pipeline, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "io.ddp.spark.DdpMain",
        "run", pipeline.toString(), "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--state-dir",
        dir.resolve("state").toString()));
    cmd.addAll(List.of(extra));
    Path log = Files.createTempFile(dir, "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("ddp run ended").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isEqualTo(exit);
    return out;
  }

  @Test
  void aRunSaysWhatEachPipeDidAndTheDeclaredMetricOnceAndWithVerboseWhatItWasDoing() throws Exception {
    Files.writeString(dir.resolve("lines.csv"), "line\nthe cat\nthe dog\na cat\nthe end\ncat\n");
    Path p = Files.writeString(dir.resolve("words.json"), "{\"name\": \"words\", \"data\": ["
        + "{\"dataId\": \"Lines\", \"location\": \"" + dir.resolve("lines.csv") + "\", \"schema\": \"line STRING\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Words\"},"
        + "{\"dataId\": \"Counts\", \"location\": \"" + dir.resolve("counts") + "\", \"format\": \"json\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": ["
        + "{\"inputDataId\": [\"Lines\"], \"transformerType\": \"sql\", \"outputDataId\": \"Words\","
        + " \"params\": {\"query\": \"SELECT explode(split(line, ' ')) AS word FROM Lines\"}},"
        + "{\"inputDataId\": [\"Words\"], \"transformerType\": \"sql\", \"outputDataId\": \"Counts\","
        + " \"params\": {\"query\": \"SELECT word, count(*) AS n FROM Words GROUP BY word\"}}],"
        + " \"metrics\": [{\"metricId\": \"distinctWords\", \"dataId\": \"Counts\", \"expression\": \"count(1)\"}]}");

    String quiet = run(p);
    assertThat(quiet).contains("done  #1 sql -> Words").contains("done  #2 sql -> Counts").contains("wrote 5 rows");
    assertThat(quiet.split("metric distinctWords = 5", -1)).as("the declared metric once: " + quiet).hasSize(2);
    assertThat(quiet).contains("words succeeded in");
    assertThat(quiet).as(quiet).doesNotContain("start #").doesNotContain("progress #").doesNotContain("pipe.tasksDone")
        .doesNotContain("pipe.records").doesNotContain("pipe.durationSeconds").doesNotContain("Pipeline words (run").doesNotContain("INFO  SparkContext");
    long lines = quiet.lines().filter(l -> !l.isBlank()).count();
    assertThat(lines).as("a few lines, not dozens: " + quiet).isLessThanOrEqualTo(8);

    String verbose = run(p, "-v", "--timings");
    assertThat(verbose).contains("start #1 sql -> Words").contains("metric pipe.durationSeconds").contains("Pipeline words (run")
        .contains("metric distinctWords = 5").contains("INFO  SparkContext");
    assertThat(verbose).contains("timings (wall clock").contains("JVM start to DDP's main").contains("read and validate the pipeline")
        .contains("Spark session start").contains("schema checks").contains("pipe #1 sql -> Words").contains("pipe #2 sql -> Counts")
        .contains("sink Counts (write and commit)").contains("end of run").contains("total since the JVM started");
  }

  @Test
  void aPipelineFoundInvalidWhileItsSessionStartsEarlyStopsWithItsErrorsAndNothingRuns() throws Exception {
    // Read whole (so the session starts early), then refused by validation and by the input check.
    Path unknownPipe = Files.writeString(dir.resolve("typo.json"), "{\"name\": \"typo\", \"data\": ["
        + "{\"dataId\": \"Lines\", \"location\": \"" + dir.resolve("lines.csv") + "\", \"schema\": \"line STRING\"},"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"json\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Lines\"], \"transformerType\": \"sqll\", \"outputDataId\": \"Out\"}]}");
    String invalid = run(2, unknownPipe);
    assertThat(invalid).contains("sqll").contains("did you mean").contains("nothing was run").doesNotContain("succeeded");

    Path missingInput = Files.writeString(dir.resolve("missing.json"), "{\"name\": \"missing\", \"data\": ["
        + "{\"dataId\": \"Lines\", \"location\": \"" + dir.resolve("no-such-file.csv") + "\", \"schema\": \"line STRING\"},"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"json\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Lines\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM Lines\"}}]}");
    String missing = run(1, missingInput);
    assertThat(missing).contains("no-such-file.csv").contains("nothing was run");
    assertThat(Files.exists(dir.resolve("out"))).isFalse();
  }
}
