package io.ddp.testing.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API on 127.0.0.1: S3Proxy in its own JVM, with the in-memory {@code transient-nio2}
 * backend. Stopped by {@link #close()}.
 *
 * <p>S3Proxy's AWS SDK, Jetty and Guava clash with Spark's, so it never joins the test class path:
 * its self-contained jar ({@code org.gaul:s3proxy:jar-with-dependencies}) is found at the system
 * property {@value #JAR_PROPERTY}, else at {@code target/s3proxy/s3proxy.jar} where DDP's build
 * copies it (the {@code s3proxy-jar} execution of maven-dependency-plugin in DDP's parent pom).
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start(tempDir)) {
 *   s3.client().createBucket(b -> b.bucket("data"));
 *   spark.conf().set("spark.hadoop.fs.s3a.endpoint", s3.endpoint());
 * }
 * }</pre>
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "ddp-test-access";
  public static final String SECRET_KEY = "ddp-test-secret-0123456789";
  public static final String JAR_PROPERTY = "ddp.s3proxy.jar";
  private static final int ATTEMPTS = 3;

  private final Process process;
  private final int port;
  private final Path log;

  private S3ProxyServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts S3Proxy on a free loopback port and waits until it listens. The port is chosen before the
   * process binds it, so another process may take it in between: then S3Proxy exits with the port in
   * use and is started again on another port.
   */
  public static S3ProxyServer start(Path workDir) throws Exception {
    Path jar = Path.of(System.getProperty(JAR_PROPERTY, Path.of("target", "s3proxy", "s3proxy.jar").toString()));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("Cannot start S3Proxy: no jar at " + jar.toAbsolutePath() + "; run the tests through Maven"
          + " (DDP's build copies it there) or set -D" + JAR_PROPERTY + "=/path/to/s3proxy-jar-with-dependencies.jar");
    }
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return startOnce(jar, workDir, attempt);
      } catch (PortTaken e) {
        last = e;
      }
    }
    throw last;
  }

  private static S3ProxyServer startOnce(Path jar, Path workDir, int attempt) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path props = workDir.resolve("s3proxy-" + attempt + ".properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=transient-nio2",
        "jclouds.identity=" + ACCESS_KEY,
        "jclouds.credential=" + SECRET_KEY,
        "jclouds.regions=us-east-1") + "\n");
    Path log = workDir.resolve("s3proxy-" + attempt + ".log");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toAbsolutePath().toString(), "--properties", props.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyServer server = new S3ProxyServer(p, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        String out = Files.readString(log);
        if (out.contains("Address already in use") || out.contains("BindException")) {
          throw new PortTaken("S3Proxy could not bind port " + port + ": " + out);
        }
        throw new IllegalStateException("S3Proxy exited: " + out);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    server.close();
    throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s: " + Files.readString(log));
  }

  private static final class PortTaken extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTaken(String message) {
      super(message);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * The Hadoop settings that point s3a at this server for one bucket ({@code fs.s3a.bucket.B.*}: endpoint,
   * path-style access, no TLS, region, the test credentials). With {@code failFast}, one attempt and no
   * retries, for tests of failures. Prefix each key with {@code spark.hadoop.} to give them to Spark.
   */
  public java.util.Map<String, String> s3aBucketSettings(String bucket, boolean failFast) {
    String p = "fs.s3a.bucket." + bucket + ".";
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put(p + "endpoint", endpoint());
    m.put(p + "path.style.access", "true");
    m.put(p + "connection.ssl.enabled", "false");
    m.put(p + "endpoint.region", "us-east-1");
    m.put(p + "access.key", ACCESS_KEY);
    m.put(p + "secret.key", SECRET_KEY);
    m.put(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    if (failFast) {
      m.put(p + "attempts.maximum", "1");
      m.put(p + "retry.limit", "1");
    }
    return m;
  }

  /** {@link #s3aBucketSettings} as {@code --conf spark.hadoop.KEY=VALUE} arguments of {@code ddp run} or spark-submit. */
  public java.util.List<String> s3aBucketConfArgs(String bucket, boolean failFast) {
    java.util.List<String> out = new java.util.ArrayList<>();
    s3aBucketSettings(bucket, failFast).forEach((k, v) -> {
      out.add("--conf");
      out.add("spark.hadoop." + k + "=" + v);
    });
    return out;
  }

  /** The {@code options} entries of a DDP dataset on this server (JSON members, without braces). */
  public String datasetOptionsJson() {
    return "\"s3.endpoint\": \"" + endpoint() + "\", \"s3.pathStyleAccess\": \"true\", \"s3.region\": \"us-east-1\","
        + " \"s3.accessKey\": \"" + ACCESS_KEY + "\", \"s3.secretKey\": \"" + SECRET_KEY + "\"";
  }

  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  public String log() throws IOException {
    return Files.readString(log);
  }
}
