package io.ddp.spark.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.spark.cli.DdpCommandTest;
import io.ddp.spark.exec.RunReport;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with a pipe that is busy for a millisecond per row and one that does almost nothing: the
 * profile must put the busy pipe first, although both pipes are lazy and all their work happens in
 * the sink's write.
 */
@ExtendWith(SparkSessionExtension.class)
class WorkProfileTest {
  @TempDir
  Path dir;

  private Path pipeline(int rows) throws Exception {
    Path csv = dir.resolve("names.csv");
    Files.writeString(csv, "id,name\n" + IntStream.range(0, rows).mapToObj(i -> i + ",n" + i).collect(Collectors.joining("\n")) + "\n");
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"name\": \"profiled\", \"data\": ["
        + "{\"dataId\": \"Names\", \"location\": \"" + csv + "\", \"format\": \"csv\", \"schema\": \"id INT, name STRING\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Spun\"},"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],"
        + "\"transformers\": ["
        + "{\"name\": \"spin\", \"inputDataId\": [\"Names\"], \"transformerType\": \"Spin\", \"outputDataId\": \"Spun\"},"
        + "{\"name\": \"tag\", \"inputDataId\": [\"Spun\"], \"transformerType\": \"Tag\", \"outputDataId\": \"Out\"}]}");
    return p;
  }

  @Test
  void theBusyPipeIsWhereTheTasksTimeWent(SparkSession spark) throws Exception {
    RunResult result = PipelineTester.of(spark, pipeline(2000)).writeSinks(true).profile(true).run();

    List<WorkProfile.Part> work = result.work();
    assertThat(work).isNotEmpty();
    String spin = result.pipes().get(0).label();
    assertThat(spin).isEqualTo("#1 'spin' (Spin -> Spun)");
    WorkProfile.Part first = work.get(0);
    assertThat(first.what()).isEqualTo(spin);
    assertThat(first.pipe()).isTrue();
    // 2,000 rows at 1 ms each: 2 s of the pipe's own code; whatever the load, it is most of the samples.
    assertThat(first.share()).isGreaterThan(0.5);
    assertThat(first.seconds()).isGreaterThan(0.5);
    assertThat(work).filteredOn(WorkProfile.Part::pipe).extracting(WorkProfile.Part::what)
        .allMatch(w -> w.equals(spin) || w.startsWith("#2 'tag'"));
    assertThat(work).filteredOn(p -> !p.pipe()).extracting(WorkProfile.Part::what)
        .isSubsetOf("read", "write", "shuffle", "sort", "compress", "spark", "waiting");
    assertThat(work.stream().mapToDouble(WorkProfile.Part::share).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

    JsonNode report = RunReport.toJson(result, "succeeded", null);
    assertThat(report.get("work").get(0).get("what").asText()).isEqualTo(spin);
    assertThat(report.get("work").get(0).get("pipe").asBoolean()).isTrue();
    assertThat(report.get("work").get(0).get("share").asDouble()).isGreaterThan(0.5);
  }

  @Test
  void aRunNotProfiledSamplesNothing(SparkSession spark) throws Exception {
    RunResult result = PipelineTester.of(spark, pipeline(50)).writeSinks(true).run();
    assertThat(result.work()).isEmpty();
    assertThat(RunReport.toJson(result, "succeeded", null).has("work")).isFalse();
  }

  @Test
  void ddpRunProfileTellsWhereTheTimeWentAndPutsItInTheReport(SparkSession spark) throws Exception {
    Path report = dir.resolve("report.json");
    DdpCommandTest.Outcome o = DdpCommandTest.ddp("run", pipeline(1000).toString(), "--profile", "--report", report.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).containsPattern("where the tasks' [0-9.]+ s went \\(sampled\\): #1 'spin' \\(Spin -> Spun\\) [0-9]+% \\(");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("work").get(0).get("what").asText()).isEqualTo("#1 'spin' (Spin -> Spun)");
  }
}
