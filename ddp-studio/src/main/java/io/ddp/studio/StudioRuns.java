package io.ddp.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.spark.cli.DdpCommand;
import io.ddp.spark.cli.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs of the opened pipeline, seen live. Every {@code ddp run} of the file writes its events
 * ({@link RunLog}) next to its run state; the studio follows that file, whether the run was started
 * here (in this JVM, by the same code as {@code ddp run}, on the embedded local Spark) or in a
 * terminal with the same state directory (attach). Each event goes to the page as it is written.
 */
final class StudioRuns implements AutoCloseable {
  private final Path pipeline;
  private final String stateDir;
  private final Supplier<String> pipelineName;
  private final BiConsumer<String, String> publish;
  private final Thread follower;
  private final List<String> current = new ArrayList<>();
  private volatile boolean closed;
  private Thread running;
  private Path followed;
  private long offset;
  private long lastSize = -1;

  /**
   * @param publish sends an event (type, JSON) to the open pages
   * @param pipelineName the pipeline's current "name" (it names the events file)
   */
  StudioRuns(Path pipeline, String stateDir, Supplier<String> pipelineName, BiConsumer<String, String> publish) {
    this.pipeline = pipeline;
    this.stateDir = stateDir;
    this.pipelineName = pipelineName;
    this.publish = publish;
    this.follower = new Thread(this::follow, "ddp-studio-runs");
    follower.setDaemon(true);
    follower.start();
  }

  /** The events file of this pipeline's runs. */
  Path eventsFile() {
    return Path.of(RunLog.fileFor(stateDir, pipeline.toString(), pipelineName.get())).toAbsolutePath();
  }

  /** The current (or last) run's events so far, for a page that opens while it runs. */
  synchronized List<String> events() {
    return List.copyOf(current);
  }

  synchronized boolean running() {
    return running != null && running.isAlive();
  }

  /**
   * Starts {@code ddp run} on the pipeline file as saved, in this JVM; its output lines are sent as
   * {@code log} events and its exit code as {@code exit}. Refused while a run started here goes on.
   */
  synchronized void start(Map<String, String> vars, JsonNode selection) {
    if (running()) {
      throw new IllegalStateException("A run of this pipeline is in progress: wait for it to end, or stop it");
    }
    List<String> args = new ArrayList<>(List.of("run", pipeline.toString(), "--state-dir", stateDir));
    vars.forEach((k, v) -> args.addAll(List.of("--var", k + "=" + v)));
    for (String key : List.of("from", "to", "only")) {
      String value = selection.path(key).asText("");
      if (!value.isBlank()) {
        args.addAll(List.of("--" + key, value.trim()));
      }
    }
    running = new Thread(() -> {
      PrintWriter out = new PrintWriter(new LineWriter(line -> publish.accept("log", Json.write(Map.of("stream", "out", "line", line)))), true);
      PrintWriter err = new PrintWriter(new LineWriter(line -> publish.accept("log", Json.write(Map.of("stream", "err", "line", line)))), true);
      int code;
      try {
        code = DdpCommand.commandLine().setOut(out).setErr(err).execute(args.toArray(String[]::new));
      } catch (RuntimeException | Error e) {
        err.println("ddp run: " + e);
        code = DdpCommand.EXIT_FAILED;
      }
      out.flush();
      err.flush();
      drain(); // the last events before the exit code
      publish.accept("exit", Json.write(Map.of("code", code)));
    }, "ddp-studio-run");
    running.setDaemon(true);
    running.start();
    // Shown in the page: secret values (passwords in URLs, --var values of secret-looking names) masked.
    publish.accept("started", Json.write(Map.of("args", args.stream().map(io.ddp.core.text.Secrets::mask).toList())));
  }

  /** Asks the run started here to stop (as Ctrl+C would: the run records how it ended). */
  synchronized boolean stop() {
    if (!running()) {
      return false;
    }
    running.interrupt();
    return true;
  }

  private void follow() {
    while (!closed) {
      drain();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends the events written since the last look; a file started afresh (a new run) is read from its start. */
  private synchronized void drain() {
    Path file = eventsFile();
    if (!file.equals(followed)) {
      followed = file;
      offset = 0;
      lastSize = -1;
      current.clear();
    }
    long size;
    try {
      size = Files.exists(file) ? Files.size(file) : -1;
    } catch (IOException e) {
      return;
    }
    if (size < 0) {
      return;
    }
    if (size < offset || (lastSize >= 0 && size < lastSize)) {
      offset = 0; // truncated: a new run
      current.clear();
    }
    lastSize = size;
    if (size == offset) {
      return;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(offset);
      byte[] bytes = new byte[(int) Math.min(size - offset, 16 << 20)];
      in.readFully(bytes);
      int end = lastNewline(bytes);
      if (end < 0) {
        return; // a line still being written
      }
      for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        if (line.contains("\"type\":\"run\"")) {
          current.clear();
        }
        current.add(line);
        publish.accept("run", line);
      }
      offset += end + 1;
    } catch (IOException e) {
      // the run is rewriting it: next time
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Past runs: those of {@code files} that are reports of {@code pipelineName}, newest first. */
  static List<Map<String, Object>> pastRuns(List<Path> files, String pipelineName) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : new java.util.LinkedHashSet<>(files.stream().map(p -> p.toAbsolutePath().normalize()).toList())) {
      try {
        if (!Files.isRegularFile(f)) {
          continue;
        }
        JsonNode report = Json.read(Files.readString(f, StandardCharsets.UTF_8));
        if (!report.path("pipes").isArray() || (pipelineName != null && !pipelineName.equals(report.path("pipeline").asText(null)))) {
          continue;
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("file", f.toString());
        run.put("modified", Files.getLastModifiedTime(f).toMillis());
        run.put("report", report);
        out.add(run);
      } catch (IOException | IllegalArgumentException e) {
        // not a report
      }
    }
    out.sort((a, b) -> Long.compare((Long) b.get("modified"), (Long) a.get("modified")));
    return out;
  }

  @Override
  public void close() {
    closed = true;
    follower.interrupt();
    Thread run;
    synchronized (this) {
      run = running;
    }
    if (run != null && run.isAlive()) {
      run.interrupt();
    }
  }

  /** Calls back once per complete line written. */
  private static final class LineWriter extends Writer {
    private final java.util.function.Consumer<String> lines;
    private final StringBuilder buffer = new StringBuilder();

    LineWriter(java.util.function.Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(char[] cbuf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = cbuf[i];
        if (c == '\n') {
          lines.accept(buffer.toString());
          buffer.setLength(0);
        } else if (c != '\r') {
          buffer.append(c);
        }
      }
    }

    @Override
    public synchronized void flush() {}

    @Override
    public synchronized void close() {
      if (buffer.length() > 0) {
        lines.accept(buffer.toString());
        buffer.setLength(0);
      }
    }
  }
}
