package io.ddp.testing.servers;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: Debian's {@code postgresql} package binaries, a fresh data
 * directory, listening on 127.0.0.1 only on a free port, with password authentication for one user.
 * PostgreSQL refuses to run as root: as root, the server runs as the {@code postgres} system user.
 * {@link #close()} stops it and deletes its data directory.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "ddp";
  public static final String PASSWORD = "pg-S3cret-ddp-4711";
  public static final String DATABASE = "ddp";

  private final Process process;
  private final Path dataDir;
  private final int port;
  private final Path log;
  private final List<String> stop;

  private PostgresServer(Process process, Path dataDir, int port, Path log, List<String> stop) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.log = log;
    this.stop = stop;
  }

  /** The directory of {@code initdb} and {@code postgres}: on the PATH, else Debian's /usr/lib/postgresql/N/bin (newest). */
  public static Optional<Path> binaries() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "postgres"))) {
        return Optional.of(Path.of(dir));
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(debian)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(debian)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> b.getParent().getFileName().toString(), Comparator.comparingInt(PostgresServer::major)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Starts a server with database {@link #DATABASE} owned by {@link #USER}; {@code workDir} holds its data and log. */
  public static PostgresServer start(Path workDir) throws Exception {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException("Cannot start PostgreSQL: no initdb on the PATH or under"
        + " /usr/lib/postgresql/*/bin; install Debian's postgresql package (apt-get install -y postgresql)"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path base = Files.createTempDirectory(workDir, "pg");
    Path data = base.resolve("data");
    Path pwfile = base.resolve("pw");
    Files.writeString(pwfile, PASSWORD + "\n");
    Path log = base.resolve("postgres.log");
    if (root) {
      run(List.of("chown", "-R", "postgres:postgres", base.toString()), base);
      run(List.of("chmod", "755", workDir.toString()), base);
    }
    run(asPostgres(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
        "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")), base);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder(asPostgres(root, List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
        "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + base,
        "-c", "fsync=off", "-c", "max_connections=50")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PostgresServer server = new PostgresServer(p, base, port, log,
        asPostgres(root, List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "30")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited: " + Files.readString(log));
      }
      if (Files.readString(log).contains("ready to accept connections")) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
          server.createDatabase();
          return server;
        } catch (IOException notYet) {
          // listening soon
        }
      }
      Thread.sleep(100);
    }
    server.close();
    throw new IllegalStateException("PostgreSQL did not start within 60 s: " + Files.readString(log));
  }

  private void createDatabase() throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
  }

  private static List<String> asPostgres(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    out.addAll(command);
    return out;
  }

  private static void run(List<String> command, Path dir) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("Cannot set up PostgreSQL: " + String.join(" ", command) + " failed: " + out);
    }
  }

  /** The JDBC URL of {@link #DATABASE}, without credentials. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  /** A connection as {@link #USER}, for a test to set up and check tables. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(url(), USER, PASSWORD);
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    try {
      // A fast shutdown: open connections (a Spark task's) are closed, not waited for.
      run(stop, dataDir);
    } catch (Exception e) {
      // the process is killed below
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp directory; the test framework removes it too
    }
  }
}
