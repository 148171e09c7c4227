package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.spark.fixtures.StatePipes;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --resume with an append sink: never appended twice, and read back as only what the failed run appended. */
@ExtendWith(SparkSessionExtension.class)
class ResumeAppendTest {
  @TempDir
  Path dir;

  Path file;
  String state;

  @BeforeEach
  void pipeline() throws Exception {
    StatePipes.EVENTS.clear();
    StatePipes.FLAKY_FAILS.set(false);
    Files.writeString(dir.resolve("src.csv"), "id,v\n1,a\n2,b\n3,c\n");
    file = dir.resolve("log.json");
    state = dir.resolve("state").toString();
    Files.writeString(file, "{\"name\": \"log\", \"data\": [\n"
        + "{\"dataId\": \"Src\", \"location\": \"${pipeline.dir}/src.csv\", \"schema\": \"id BIGINT, v STRING\", \"options\": {\"header\": true}},\n"
        + "{\"dataId\": \"Log\", \"location\": \"${pipeline.dir}/out/log\", \"format\": \"parquet\", \"mode\": \"append\"},\n"
        + "{\"dataId\": \"M\"},\n"
        + "{\"dataId\": \"Report\", \"location\": \"${pipeline.dir}/out/report\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"Src\"], \"transformerType\": \"sql\", \"outputDataId\": \"Log\", \"params\": {\"query\": \"SELECT id, v FROM Src\"}},\n"
        + "{\"inputDataId\": [\"Log\"], \"transformerType\": \"Flaky\", \"outputDataId\": \"M\"},\n"
        + "{\"inputDataId\": [\"M\"], \"transformerType\": \"sql\", \"outputDataId\": \"Report\", \"params\": {\"query\": \"SELECT * FROM M\"}}]}");
  }

  private DdpCommandTest.Outcome run(String... extra) {
    return ddp(Stream.concat(Stream.of("run", file.toString(), "--state-dir", state), Stream.of(extra)).toArray(String[]::new));
  }

  private long rows(SparkSession spark, String name) {
    return spark.read().parquet(dir.resolve("out").resolve(name).toString()).count();
  }

  @Test
  void theResumedPipesReadOnlyWhatTheFailedRunAppended(SparkSession spark) {
    assertThat(run().code()).isZero();
    StatePipes.FLAKY_FAILS.set(true);
    assertThat(run().code()).isEqualTo(1);
    assertThat(rows(spark, "log")).as("two runs appended").isEqualTo(6);

    StatePipes.FLAKY_FAILS.set(false);
    DdpCommandTest.Outcome resumed = run("--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("reading committed [Log]");
    assertThat(rows(spark, "log")).as("not appended again").isEqualTo(6);
    assertThat(rows(spark, "report")).as("the failed run's 3 rows, not the log's whole history").isEqualTo(3);
  }

  @Test
  void anAppendCommittedButNotRecordedIsNotAppendedAgain(SparkSession spark) throws Exception {
    StatePipes.FLAKY_FAILS.set(true);
    assertThat(run().code()).isEqualTo(1);
    // What a kill between the commit and the state write leaves: the rows at the location, the state without them.
    Path stateFile;
    try (Stream<Path> files = Files.walk(Path.of(state))) {
      stateFile = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode record = (ObjectNode) json.readTree(stateFile.toFile());
    assertThat(record.get("committed").toString()).contains("Log");
    record.set("committed", json.createArrayNode());
    json.writeValue(stateFile.toFile(), record);

    StatePipes.FLAKY_FAILS.set(false);
    DdpCommandTest.Outcome resumed = run("--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("'Log' was committed by the failed run").contains("not written again");
    assertThat(rows(spark, "log")).as("appended once").isEqualTo(3);
    assertThat(rows(spark, "report")).isEqualTo(3);
    ArrayNode after = (ArrayNode) json.readTree(stateFile.toFile()).get("committed");
    assertThat(List.of(after.toString())).anySatisfy(s -> assertThat(s).contains("Log").contains("Report"));
  }

  @Test
  void anAppendWhoseLineageChangedIsNotResumed() throws Exception {
    StatePipes.FLAKY_FAILS.set(true);
    assertThat(run().code()).isEqualTo(1);
    StatePipes.FLAKY_FAILS.set(false);
    Files.writeString(file, Files.readString(file).replace("SELECT id, v FROM Src", "SELECT id, upper(v) AS v FROM Src"));
    DdpCommandTest.Outcome resumed = run("--resume");
    assertThat(resumed.code()).isEqualTo(2);
    assertThat(resumed.err()).contains("[Log] is appended to, and what it depends on changed since the failed run committed it:"
        + " resuming would append another version on top; run again without --resume");
  }
}
