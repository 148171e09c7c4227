package io.ddp.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StudioServerTest {
  private StudioServer server;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() throws Exception {
    server = new StudioServer(0);
    server.get("/api/hello", (body, query) -> StudioServer.Reply.ok(Json.write(Map.of("hello", query.getOrDefault("name", "?")))));
    server.post("/api/echo", (body, query) -> StudioServer.Reply.ok(body));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyRequestNeedsTheToken() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(401);
    assertThat(get("/api/hello").statusCode()).isEqualTo(401);
    assertThat(get("/api/hello?token=wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api/hello", "Cookie", StudioServer.COOKIE + "=wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api/events").statusCode()).as("the event stream too").isEqualTo(401);
    assertThat(server.url()).startsWith("http://127.0.0.1:" + server.port() + "/?token=");
    assertThat(server.token()).hasSizeGreaterThanOrEqualTo(40);
  }

  @Test
  void theTokenInTheUrlBecomesASameSiteHttpOnlyCookieAndLeavesTheAddressBar() throws Exception {
    HttpResponse<String> first = get("/?token=" + server.token());
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location")).contains("/");
    String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith(StudioServer.COOKIE + "=" + server.token()).contains("HttpOnly").contains("SameSite=Strict");
    HttpResponse<String> page = get("/", "Cookie", StudioServer.COOKIE + "=" + server.token());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>DDP Studio</title>");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
    assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> api = get("/api/hello?name=x", "X-DDP-Token", server.token());
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).isEqualTo("{\"hello\":\"x\"}");
  }

  @Test
  void anotherHostHeaderIsRefusedAsDnsRebindingWouldSendIt() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /?token=" + server.token() + " HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
    }
  }

  @Test
  void writesFromAnotherOriginAreRefused() throws Exception {
    HttpRequest foreign = HttpRequest.newBuilder(URI.create(base() + "/api/echo")).header("X-DDP-Token", server.token())
        .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    assertThat(client.send(foreign, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    HttpRequest own = HttpRequest.newBuilder(URI.create(base() + "/api/echo")).header("X-DDP-Token", server.token())
        .header("Origin", base()).POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
    HttpResponse<String> echoed = client.send(own, HttpResponse.BodyHandlers.ofString());
    assertThat(echoed.statusCode()).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo("{\"a\":1}");
  }

  @Test
  void onlyTheStudiosOwnFilesAreServed() throws Exception {
    String t = server.token();
    assertThat(get("/index.html", "X-DDP-Token", t).statusCode()).isEqualTo(200);
    assertThat(get("/../../../etc/passwd", "X-DDP-Token", t).statusCode()).isEqualTo(404);
    assertThat(get("/%2e%2e/Json.class", "X-DDP-Token", t).statusCode()).isEqualTo(404);
    assertThat(get("/io/ddp/studio/Json.class", "X-DDP-Token", t).statusCode()).isEqualTo(404);
    assertThat(get("/nope.js", "X-DDP-Token", t).statusCode()).isEqualTo(404);
  }

  @Test
  void eventsReachAnOpenPage() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base() + "/api/events")).header("X-DDP-Token", server.token()).build();
    CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream =
        client.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<java.util.stream.Stream<String>> response = stream.get(10, TimeUnit.SECONDS);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
    var lines = response.body().iterator();
    assertThat(lines.next()).isEqualTo(": connected");
    assertThat(lines.next()).isEmpty();
    server.publish("status", "{\"pipe\":\"#1\",\"state\":\"running\"}");
    assertThat(lines.next()).startsWith("id: ");
    assertThat(lines.next()).isEqualTo("event: status");
    assertThat(lines.next()).isEqualTo("data: {\"pipe\":\"#1\",\"state\":\"running\"}");
  }
}
