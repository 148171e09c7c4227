package io.ddp.testing.servers;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP endpoint on 127.0.0.1 that speaks the wire protocol the AWS SDK uses for CloudWatch
 * (AWS Query: form-encoded POST, XML reply) and records each request's parameters. It can be told
 * to fail (HTTP 500 with an AWS error document) or to stall.
 */
public final class CloudWatchServer implements AutoCloseable {
  public enum Mode { OK, FAIL, STALL }

  public final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  public volatile Mode mode = Mode.OK;
  private final HttpServer server;

  public CloudWatchServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cloudwatch-test-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null && encoding.contains("gzip")) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      if (mode == Mode.STALL) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String reply;
      int status;
      if (mode == Mode.FAIL) {
        status = 500;
        reply = "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Receiver</Type>"
            + "<Code>InternalServiceError</Code><Message>test failure</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
      } else {
        requests.add(params);
        status = 200;
        reply = "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata>"
            + "<RequestId>r-" + requests.size() + "</RequestId></ResponseMetadata></PutMetricDataResponse>";
      }
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/xml");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
