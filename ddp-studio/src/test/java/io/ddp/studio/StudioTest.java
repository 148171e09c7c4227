package io.ddp.studio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.spark.cli.DdpCommand;
import io.ddp.spark.cli.RunLog;
import io.ddp.testing.SharedSpark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio's routes on a real pipeline and the shared local Spark: checks, contracts, runs, preview, code. */
class StudioTest {
  static final String PIPELINE = """
      {
        "name": "studio-test",
        "data": [
          {"dataId": "Words", "location": "${pipeline.dir}/data/words.csv", "format": "csv", "options": {"header": "true"},
           "schema": "word STRING, n INT"},
          {"dataId": "Big"},
          {"dataId": "Out", "location": "${pipeline.dir}/out/upper", "format": "parquet", "mode": "overwrite"}
        ],
        "transformers": [
          {"name": "big", "inputDataId": ["Words"], "transformerType": "sql", "outputDataId": "Big",
           "params": {"query": "SELECT word, n FROM Words WHERE n > 1"}},
          {"name": "upper", "inputDataId": ["Big"], "transformerType": "sql", "outputDataId": "Out",
           "params": {"query": "SELECT upper(word) AS word, n FROM Big"}}
        ],
        "metrics": [{"metricId": "words", "dataId": "Out", "expression": "count(1)", "unit": "Count"}],
        "metricsConfig": {"report": "${pipeline.dir}/out/report.json"}
      }
      """;

  @TempDir
  Path dir;
  private Path file;
  private Studio studio;
  private String token;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void spark() {
    SharedSpark.session(); // the JVM's one session: the studio and its runs share it
  }

  @BeforeEach
  void open() throws Exception {
    file = dir.resolve("pipelines/words.json");
    Files.createDirectories(file.getParent().resolve("data"));
    Files.writeString(file, PIPELINE);
    Files.writeString(file.getParent().resolve("data/words.csv"), "word,n\nalpha,1\nbeta,2\ngamma,3\n<img src=x onerror=alert(1)>,4\n");
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    studio = new Studio(file, Map.of(), 0, null, dir.resolve("state").toString());
    String url = studio.start();
    token = url.substring(url.indexOf("token=") + 6);
  }

  @AfterEach
  void close() {
    studio.close();
  }

  private HttpResponse<String> call(String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + studio.port() + path))
        .timeout(Duration.ofSeconds(120)).header("X-DDP-Token", token);
    b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String path, String body) throws Exception {
    HttpResponse<String> r = call(path, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Json.read(r.body());
  }

  private ObjectNode pipeline() throws Exception {
    return (ObjectNode) ok("/api/state", null).path("pipeline");
  }

  private static String with(ObjectNode pipeline) {
    return Json.write(Map.of("pipeline", pipeline));
  }

  @Test
  void contractViewShowsDerivedSchemasAndPutsSchemaErrorsOnTheNode() throws Exception {
    JsonNode fine = ok("/api/contracts", with(pipeline()));
    assertThat(fine.path("checked").asBoolean()).isTrue();
    assertThat(fine.path("problems")).isEmpty();
    assertThat(fine.path("schemas").path("Big").asText()).isEqualTo("word STRING,n INT");
    assertThat(fine.path("schemas").path("Out").asText()).isEqualTo("word STRING,n INT");

    ObjectNode broken = pipeline();
    ((ObjectNode) broken.path("transformers").get(1).path("params")).put("query", "SELECT upper(wrd) AS word FROM Big");
    JsonNode check = ok("/api/check", with(broken));
    assertThat(check.path("view").path("problems")).as("the declaration itself is fine").isEmpty();
    JsonNode contracts = ok("/api/contracts", with(broken));
    assertThat(contracts.path("problems")).hasSize(1);
    JsonNode problem = contracts.path("problems").get(0);
    assertThat(problem.path("severity").asText()).isEqualTo("error");
    assertThat(problem.path("node").asText()).isEqualTo("#2");
    assertThat(problem.path("message").asText()).contains("wrd");
    assertThat(problem.path("line").asInt()).as("located in the file").isGreaterThan(0);

    ObjectNode undeclared = pipeline();
    ((ObjectNode) undeclared.path("transformers").get(1)).put("outputDataId", "Nowhere");
    JsonNode skipped = ok("/api/contracts", with(undeclared));
    assertThat(skipped.path("checked").asBoolean()).isFalse();
    assertThat(skipped.path("reason").asText()).contains("declaration has errors");
  }

  @Test
  void aRunStartedHereIsFollowedLiveAndItsOutputCanBePreviewed() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Thread reader = stream(events);
    String hash = ok("/api/state", null).path("hash").asText();
    assertThat(call("/api/run", Json.write(Map.of("hash", "stale"))).statusCode()).as("unsaved edits").isEqualTo(409);
    assertThat(call("/api/preview?data=Out", null).body()).contains("has no data at").contains("run the pipeline");

    ok("/api/run", Json.write(Map.of("hash", hash)));
    awaitEvent(events, "event: exit");
    reader.interrupt();
    String all = String.join("\n", events);
    assertThat(all).contains("\"type\":\"run\"").contains("\"type\":\"pipeStarted\"").contains("\"code\":0");
    assertThat(all).containsPattern("\"type\":\"pipeFinished\",[^\\n]*\"index\":2,[^\\n]*\"status\":\"succeeded\"");
    assertThat(all).containsPattern("\"type\":\"sinkCommitted\",[^\\n]*\"dataId\":\"Out\",[^\\n]*\"rows\":3");
    assertThat(all).containsPattern("\"type\":\"end\",[^\\n]*\"status\":\"succeeded\"");
    assertThat(all).contains("\"name\":\"words\"");
    assertThat(all).as("the command's own output").contains("studio-test succeeded in");

    JsonNode state = ok("/api/run/events", null);
    assertThat(state.path("running").asBoolean()).isFalse();
    assertThat(state.path("events").get(0).path("type").asText()).isEqualTo("run");
    assertThat(state.path("events").get(state.path("events").size() - 1).path("type").asText()).isEqualTo("end");

    JsonNode preview = ok("/api/preview?data=Out&limit=2", null);
    assertThat(preview.path("columns").toString()).isEqualTo("[{\"name\":\"word\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\"}]");
    assertThat(preview.path("rows")).hasSize(2);
    JsonNode source = ok("/api/preview?data=Words&limit=1000", null);
    assertThat(source.path("limit").asInt()).as("bounded").isEqualTo(Preview.MAX_ROWS);
    assertThat(source.path("rows").toString()).contains("<img src=x onerror=alert(1)>");
    assertThat(call("/api/preview?data=Big", null).body()).contains("has no location");

    JsonNode past = ok("/api/runs", null);
    assertThat(past).isNotEmpty();
    assertThat(past.get(0).path("report").path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void aFailingRunShowsTheFailingPipeAndAttachesToRunsFromATerminal() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Thread reader = stream(events);
    // A run from a terminal (same state directory): the studio follows its events file.
    String failing = PIPELINE.replace("SELECT upper(word) AS word, n FROM Big",
        "SELECT CASE WHEN n > 2 THEN raise_error('bad row ' || word) ELSE word END AS word, n FROM Big");
    Files.writeString(file, failing);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DdpCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("run", file.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(code).as(err.toString()).isEqualTo(DdpCommand.EXIT_FAILED);
    Path log = Path.of(RunLog.fileFor(dir.resolve("state").toString(), file.toAbsolutePath().normalize().toString(), "studio-test"));
    assertThat(log).exists();
    assertThat(studio.port()).isPositive();
    awaitEvent(events, "\"type\":\"end\"");
    reader.interrupt();
    String all = String.join("\n", events);
    assertThat(all).containsPattern("\"type\":\"pipeFinished\",[^\\n]*\"index\":2,[^\\n]*\"status\":\"failed\",[^\\n]*bad row");
    assertThat(all).containsPattern("\"type\":\"end\",[^\\n]*\"status\":\"failed\"");
  }

  @Test
  void generatesTheMissingPipeIntoTheProjectSourceFolderOnly() throws Exception {
    ObjectNode p = pipeline();
    ((ObjectNode) p.path("transformers").get(1)).put("transformerType", "com.acme.pipes.Shout");
    JsonNode r = ok("/api/generate", Json.write(Map.of("pipeline", p, "pipe", 1)));
    assertThat(r.path("project").asText()).isEqualTo(dir.toString());
    assertThat(r.path("files").toString()).contains("src/main/java/com/acme/pipes/Shout.java", "src/test/java/com/acme/pipes/ShoutTest.java");
    assertThat(dir.resolve("src/main/java/com/acme/pipes/Shout.java")).exists();
    assertThat(r.path("next").asText()).contains("mvn -B test");

    HttpResponse<String> again = call("/api/generate", Json.write(Map.of("pipeline", p, "pipe", 1)));
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("exists already");
    HttpResponse<String> sql = call("/api/generate", Json.write(Map.of("pipeline", p, "pipe", 0)));
    assertThat(sql.body()).contains("'sql' exists already");
  }

  @Test
  void savesOnlyTheOpenedFileAndRefusesWhenItChangedOnDisk() throws Exception {
    JsonNode state = ok("/api/state", null);
    ObjectNode p = (ObjectNode) state.path("pipeline");
    ((ObjectNode) p.path("transformers").get(0)).put("name", "bigger");
    JsonNode saved = ok("/api/save", Json.write(Map.of("pipeline", p, "hash", state.path("hash").asText())));
    String text = Files.readString(file);
    assertThat(text).contains("\"name\": \"bigger\"").contains("${pipeline.dir}/data/words.csv");
    assertThat(text.replace("\"bigger\"", "\"big\"")).as("nothing else changed").isEqualTo(PIPELINE);
    Files.writeString(file, text + "\n");
    HttpResponse<String> conflict = call("/api/save", Json.write(Map.of("pipeline", p, "hash", saved.path("hash").asText())));
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).contains("changed on disk");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactlyInAnyOrder("words.json", "data");
    }
  }

  /** Reads the event stream into {@code events}, one SSE line each. */
  private Thread stream(List<String> events) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + studio.port() + "/api/events"))
        .header("X-DDP-Token", token).build();
    HttpResponse<java.io.InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          events.add(line);
        }
      } catch (Exception e) {
        // closed
      }
    }, "studio-test-events");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void awaitEvent(List<String> events, String marker) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < end) {
      if (new ArrayList<>(events).stream().anyMatch(l -> l.contains(marker))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no event with " + marker + " within 180 s; got: " + String.join("\n", events));
  }
}
