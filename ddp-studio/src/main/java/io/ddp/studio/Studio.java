package io.ddp.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.validate.Validator;
import io.ddp.spark.PipeCatalog;
import io.ddp.spark.SparkPipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One studio: a pipeline file opened for editing, served to the browser by a {@link StudioServer}.
 * The browser edits the pipeline as written (variables unresolved); every edit is checked by the
 * validator of {@code ddp validate} on the text that saving would write, and saving writes that text
 * to the opened file only, refusing when the file changed on disk since it was read.
 */
public final class Studio implements AutoCloseable {
  private final Path file;
  private final Map<String, String> vars;
  private final StudioServer server;
  private final Validator validator;
  private final PipeCatalog catalog;
  private final Path project;
  private final StudioRuns runs;
  private PipelineText base;
  private org.apache.spark.sql.SparkSession spark;

  public Studio(Path file, Map<String, String> vars, int port) throws IOException {
    this(file, vars, port, null, ".ddp/state");
  }

  /**
   * @param project the project that generated pipes go into ({@code src/main/java}, {@code src/test/java});
   *     null: the nearest directory above the pipeline file with a pom.xml, else the file's directory
   * @param stateDir the run state directory, as {@code ddp run --state-dir} (runs there are followed)
   */
  public Studio(Path file, Map<String, String> vars, int port, Path project, String stateDir) throws IOException {
    this.file = file.toAbsolutePath().normalize();
    this.vars = Map.copyOf(vars);
    this.project = project != null ? project.toAbsolutePath().normalize() : projectOf(this.file);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    this.validator = Validator.withChecksFrom(SparkPipe.types(loader), loader);
    this.catalog = PipeCatalog.load(loader);
    this.base = PipelineText.of(Files.readString(this.file, StandardCharsets.UTF_8));
    this.server = new StudioServer(port);
    server.get("/api/state", (body, query) -> StudioServer.Reply.ok(state()));
    server.get("/api/catalog", (body, query) -> StudioServer.Reply.ok(Json.write(catalog.toJson())));
    server.post("/api/check", (body, query) -> StudioServer.Reply.ok(check(Json.read(body).path("pipeline"))));
    server.post("/api/save", (body, query) -> save(Json.read(body)));
    this.runs = new StudioRuns(this.file, stateDir, this::pipelineName, server::publish);
    server.post("/api/run", (body, query) -> run(Json.read(body)));
    server.post("/api/run/stop", (body, query) -> StudioServer.Reply.ok(Json.write(Map.of("stopping", runs.stop()))));
    server.get("/api/run/events", (body, query) -> StudioServer.Reply.ok(runEvents()));
    server.get("/api/runs", (body, query) -> StudioServer.Reply.ok(Json.write(pastRuns())));
    server.get("/api/preview", (body, query) -> StudioServer.Reply.ok(preview(query)));
    server.post("/api/contracts", (body, query) -> StudioServer.Reply.ok(contracts(Json.read(body).path("pipeline"))));
    server.post("/api/generate", (body, query) -> StudioServer.Reply.ok(generate(Json.read(body))));
  }

  private boolean exists(String type) {
    if (catalog.entries().stream().anyMatch(e -> e.type().equals(type) || e.pipeClass().getName().equals(type))) {
      return true;
    }
    try {
      Class.forName(type, false, Thread.currentThread().getContextClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError | IllegalArgumentException e) {
      return false;
    }
  }

  /** The nearest directory at or above the pipeline's with a pom.xml, else the pipeline's own directory. */
  static Path projectOf(Path pipelineFile) {
    Path dir = pipelineFile.getParent();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("pom.xml"))) {
        return d;
      }
    }
    return dir;
  }

  private synchronized String pipelineName() {
    return base.root().path("name").asText("pipeline");
  }

  private StudioServer.Reply run(JsonNode request) {
    synchronized (this) {
      if (request.path("hash").isTextual() && !request.path("hash").asText().equals(sha256(base.text()))) {
        return new StudioServer.Reply(409, Json.object("error", "The page has edits that are not saved: save, then run"));
      }
    }
    try {
      runs.start(vars, request);
    } catch (IllegalStateException e) {
      return new StudioServer.Reply(409, Json.object("error", e.getMessage()));
    }
    return StudioServer.Reply.ok(Json.write(Map.of("started", true, "events", runs.eventsFile().toString())));
  }

  /** The reports of this pipeline's runs: its declared report file, and those in .ddp/reports (where ddp run puts them). */
  private java.util.List<Map<String, Object>> pastRuns() {
    java.util.List<Path> files = new java.util.ArrayList<>();
    io.ddp.core.json.PipelineReader.Result read;
    synchronized (this) {
      read = io.ddp.core.json.PipelineReader.read(base.text(), file.toString(), file.getParent().toString(), vars);
    }
    if (read.pipeline() != null && read.pipeline().metricsConfig() != null && read.pipeline().metricsConfig().report() != null) {
      io.ddp.spark.exec.DriverFiles.localPath(read.pipeline().metricsConfig().report()).ifPresent(files::add);
    }
    Path reports = Path.of(".ddp", "reports").toAbsolutePath();
    if (Files.isDirectory(reports)) {
      try (var list = Files.list(reports)) {
        list.filter(p -> p.getFileName().toString().endsWith(".json")).forEach(files::add);
      } catch (IOException e) {
        // none
      }
    }
    return StudioRuns.pastRuns(files, pipelineName());
  }

  private String runEvents() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("running", runs.running());
    out.put("events", runs.events().stream().map(Json::read).toList());
    return Json.write(out);
  }

  private String preview(Map<String, String> query) {
    String dataId = query.getOrDefault("data", "");
    int limit;
    try {
      limit = Integer.parseInt(query.getOrDefault("limit", "20"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be a number of rows (at most " + Preview.MAX_ROWS + ")");
    }
    io.ddp.core.json.PipelineReader.Result read;
    synchronized (this) {
      Path dir = file.getParent();
      read = io.ddp.core.json.PipelineReader.read(base.text(), file.toString(), dir.toString(), vars);
    }
    if (read.hasErrors()) {
      throw new IllegalArgumentException("The saved pipeline cannot be read; fix the problems listed first");
    }
    return Json.write(Preview.of(spark(read.pipeline()), read.pipeline(), dataId, limit));
  }

  /** One local Spark for the studio's previews, made on first use (a run in this JVM shares it). */
  private synchronized org.apache.spark.sql.SparkSession spark(io.ddp.core.model.PipelineDeclare pipeline) {
    if (spark == null) {
      spark = io.ddp.spark.cli.SparkSessions.create(pipeline, Map.of("spark.ui.enabled", "false"), java.util.Optional.empty());
    }
    return spark;
  }

  /**
   * The schema contract checks of {@code ddp validate} (Spark's analysis: no data read, no job) on the
   * pipeline as it would be saved, and the schema of every dataset they derive (the contract view).
   * Slower than the declaration check (the first call starts the studio's local Spark), so the page
   * asks for it after each check has answered.
   */
  private String contracts(JsonNode pipeline) {
    long t0 = System.nanoTime();
    String text;
    synchronized (this) {
      text = base.write(object(pipeline));
    }
    Path dir = file.getParent();
    io.ddp.core.PipelineLoader.Loaded loaded = io.ddp.core.PipelineLoader.validate(
        io.ddp.core.json.PipelineReader.read(text, file.toString(), dir.toString(), vars), validator);
    Map<String, Object> out = new LinkedHashMap<>();
    if (loaded.hasErrors()) {
      out.put("checked", false);
      out.put("reason", "the declaration has errors: the schema checks run once they are fixed");
      out.put("problems", java.util.List.of());
      out.put("schemas", Map.of());
    } else {
      io.ddp.spark.exec.StaticSchemaCheck.Result result = executor(loaded.pipeline()).checkSchemas(loaded.plan(), false);
      Map<String, String> schemas = new java.util.TreeMap<>();
      result.schemas().forEach((id, schema) -> schemas.put(id, schema.toDDL()));
      out.put("checked", true);
      out.put("problems", PipelineView.issues(result.problems(), loaded.sources(), PipelineView.dataIds(Json.read(text))));
      out.put("schemas", schemas);
    }
    out.put("micros", (System.nanoTime() - t0) / 1000);
    return Json.write(out);
  }

  private io.ddp.spark.exec.SparkExecutor executor;

  private synchronized io.ddp.spark.exec.SparkExecutor executor(io.ddp.core.model.PipelineDeclare pipeline) {
    if (executor == null) {
      executor = io.ddp.spark.exec.SparkExecutor.builder(spark(pipeline)).build();
    }
    return executor;
  }

  private String generate(JsonNode request) throws IOException {
    JsonNode pipeline = request.path("pipeline");
    int index = request.path("pipe").asInt(-1);
    JsonNode pipes = pipeline.path("transformers");
    if (index < 0 || index >= pipes.size()) {
      throw new IllegalArgumentException("No pipe #" + (index + 1) + " in the pipeline");
    }
    JsonNode pipe = pipes.get(index);
    String type = pipe.path("transformerType").asText("");
    if (exists(type)) {
      throw new IllegalArgumentException("'" + type + "' exists already (it is on the class path): nothing to generate");
    }
    java.util.List<String> inputs = new java.util.ArrayList<>();
    pipe.path("inputDataId").forEach(i -> inputs.add(i.asText()));
    Map<String, String> schemas = PipeTemplate.schemasOf(pipeline);
    String output = pipe.path("outputDataId").asText("");
    java.util.List<PipeTemplate.File> files = PipeTemplate.generate(new PipeTemplate.Request(type, inputs, output, pipe.path("params"),
        schemas, schemas.get(output), file.getFileName().toString()));
    java.util.List<Path> written = PipeTemplate.write(project, files);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("project", project.toString());
    out.put("files", written.stream().map(p -> project.relativize(p).toString()).toList());
    out.put("next", Files.isRegularFile(project.resolve("pom.xml"))
        ? "cd " + project + " && mvn -B test   (red until the logic and the expected rows are written)"
        : project + " has no pom.xml: create the project with 'ddp new', or add the files to yours");
    return Json.write(out);
  }

  /** Starts serving; returns the URL to open (with its token). */
  public String start() {
    state(); // checks and lays out the file once before the URL is shown: the first page opens warm
    server.start();
    return server.url();
  }

  public int port() {
    return server.port();
  }

  private synchronized String state() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("file", file.toString());
    out.put("hash", sha256(base.text()));
    out.put("pipeline", base.root());
    out.put("text", base.text());
    out.put("view", view(base.text()));
    return Json.write(out);
  }

  private String viewedText;
  private PipelineView viewed;

  private synchronized String check(JsonNode pipeline) {
    String text = base.write(object(pipeline));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("text", text);
    out.put("view", view(text));
    return Json.write(out);
  }

  private synchronized StudioServer.Reply save(JsonNode request) throws IOException {
    String onDisk = Files.readString(file, StandardCharsets.UTF_8);
    if (!sha256(onDisk).equals(request.path("hash").asText())) {
      return new StudioServer.Reply(409, Json.object("error", "Cannot save: " + file
          + " changed on disk since the studio read it; reload it (your edits are kept in the page until you do)"));
    }
    String text = base.write(object(request.path("pipeline")));
    Path tmp = file.resolveSibling("." + file.getFileName() + ".studio.tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    base = PipelineText.of(text);
    return StudioServer.Reply.ok(Json.write(Map.of("hash", sha256(text), "text", text)));
  }

  /** The check and layout of {@code text}; the last one is kept (the page asks again for the same text on reload). */
  private synchronized PipelineView view(String text) {
    if (!text.equals(viewedText)) {
      viewed = freshView(text);
      viewedText = text;
    }
    return viewed;
  }

  private PipelineView freshView(String text) {
    Path dir = file.getParent();
    return PipelineView.of(text, file.toString(), dir == null ? "." : dir.toString(), vars, validator);
  }

  private static ObjectNode object(JsonNode pipeline) {
    if (!(pipeline instanceof ObjectNode o)) {
      throw new IllegalArgumentException("Cannot check the pipeline: \"pipeline\" must be a JSON object");
    }
    return o;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    runs.close();
    server.close();
  }
}
