package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddp run} writes its events next to its state, for DDP Studio to follow. */
@ExtendWith(SparkSessionExtension.class)
class RunLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path pipeline(String query) throws Exception {
    Files.writeString(dir.resolve("people.csv"), "id,name\n1,ada\n2,grace\n3,linus\n");
    Path p = dir.resolve("people.json");
    Files.writeString(p, "{\"name\": \"people\", \"data\": [{\"dataId\": \"People\", \"location\": \"" + dir.resolve("people.csv")
        + "\", \"format\": \"csv\", \"schema\": \"id INT, name STRING\", \"options\": {\"header\": true}},"
        + " {\"dataId\": \"Mid\"}, {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"json\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": [{\"name\": \"keep\", \"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Mid\","
        + " \"params\": {\"query\": \"SELECT id, name FROM People WHERE id > 1\"}},"
        + " {\"name\": \"shout\", \"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"" + query + "\"}}],"
        + " \"metrics\": [{\"metricId\": \"people\", \"dataId\": \"Out\", \"expression\": \"count(1)\"}],"
        + " \"metricsConfig\": {\"report\": \"" + dir.resolve("report.json") + "\"}}");
    return p;
  }

  private List<JsonNode> events(Path pipeline) throws Exception {
    String file = RunLog.fileFor(dir.resolve("state").toString(), pipeline.toAbsolutePath().normalize().toString(), "people");
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(file))) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).filter(t -> !t.equals("metrics")).toList();
  }

  @Test
  void aRunWritesItsEventsAndHowItEnded() throws Exception {
    Path p = pipeline("SELECT id, upper(name) AS name FROM Mid");
    var o = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(o.code()).as(o.err()).isZero();
    List<JsonNode> events = events(p);
    List<String> types = types(events);
    assertThat(types.get(0)).isEqualTo("run");
    assertThat(types.get(types.size() - 1)).isEqualTo("end");
    assertThat(types).containsExactlyInAnyOrder("run", "pipeStarted", "pipeStarted", "pipeFinished", "pipeFinished", "sinkCommitted", "end");
    assertThat(types.indexOf("pipeStarted")).isLessThan(types.indexOf("pipeFinished"));
    JsonNode start = events.get(0);
    assertThat(start.path("pipeline").asText()).isEqualTo("people");
    assertThat(start.path("pipes").toString()).contains("\"index\":1").contains("\"index\":2").contains("keep").contains("shout");
    JsonNode shout = events.stream().filter(e -> e.path("type").asText().equals("pipeFinished") && e.path("index").asInt() == 2)
        .findFirst().orElseThrow();
    assertThat(shout.path("status").asText()).isEqualTo("succeeded");
    assertThat(shout.path("seconds").asDouble()).isGreaterThanOrEqualTo(0);
    JsonNode sink = events.stream().filter(e -> e.path("type").asText().equals("sinkCommitted")).findFirst().orElseThrow();
    assertThat(sink.path("dataId").asText()).isEqualTo("Out");
    assertThat(sink.path("rows").asLong()).isEqualTo(2);
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("metrics")).map(JsonNode::toString).toList())
        .anySatisfy(m -> assertThat(m).contains("\"value\":2.0"));
    JsonNode end = events.get(events.size() - 1);
    assertThat(end.path("status").asText()).isEqualTo("succeeded");
    assertThat(end.path("report").asText()).isEqualTo(dir.resolve("report.json").toString());
  }

  @Test
  void aFailedRunSaysWhichPipeFailedAndTheNextRunStartsTheFileAfresh() throws Exception {
    Path p = pipeline("SELECT CASE WHEN id > 2 THEN raise_error('bad row ' || name) ELSE name END AS name FROM Mid");
    var o = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(o.code()).isEqualTo(DdpCommand.EXIT_FAILED);
    List<JsonNode> failed = events(p);
    JsonNode shout = failed.stream().filter(e -> e.path("type").asText().equals("pipeFinished") && e.path("index").asInt() == 2)
        .findFirst().orElseThrow();
    assertThat(shout.path("status").asText()).isEqualTo("failed");
    assertThat(shout.path("error").asText()).contains("bad row linus");
    JsonNode end = failed.get(failed.size() - 1);
    assertThat(end.path("type").asText()).isEqualTo("end");
    assertThat(end.path("status").asText()).isEqualTo("failed");
    assertThat(end.path("error").asText()).contains("bad row linus");

    Files.writeString(p, Files.readString(p).replace("WHEN id > 2", "WHEN id > 9"));
    assertThat(ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString()).code()).isZero();
    List<JsonNode> next = events(p);
    assertThat(next.stream().filter(e -> e.path("type").asText().equals("run")).count()).as("one run per file").isEqualTo(1);
    assertThat(next.get(next.size() - 1).path("status").asText()).isEqualTo("succeeded");
  }
}
