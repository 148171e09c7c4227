package io.ddp.studio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The studio's HTTP server: loopback only, every request authenticated by a random token (from the
 * printed URL once, then a same-site cookie), Host and Origin checked (no DNS rebinding, no other
 * site's page), a strict content security policy, no CORS; static files from the class path and
 * JSON routes; one event stream per page (server-sent events).
 */
final class StudioServer implements AutoCloseable {
  /** A JSON route: the request body (empty for GET) and query, to a status and a JSON body. */
  interface Route {
    Reply handle(String body, Map<String, String> query) throws Exception;
  }

  /** A reply: HTTP status and JSON text. */
  record Reply(int status, String json) {
    static Reply ok(String json) {
      return new Reply(200, json);
    }
  }

  static final String COOKIE = "ddp_studio";
  private static final String WEB = "/io/ddp/studio/web/";
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "json", "application/json");

  private final HttpServer http;
  private final String token;
  private final ExecutorService threads;
  private final Map<String, Route> gets = new LinkedHashMap<>();
  private final Map<String, Route> posts = new LinkedHashMap<>();
  private final List<LinkedBlockingQueue<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closing;
  private long eventId;

  /** Binds 127.0.0.1 on {@code port} (0: a free one). */
  StudioServer(int port) throws IOException {
    // Small events must not wait for Nagle's algorithm (read once, before the first server is made).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ddp-studio-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(threads); // an open event stream must not hold up other requests
    http.createContext("/", this::serve);
  }

  void get(String path, Route route) {
    gets.put(path, route);
  }

  void post(String path, Route route) {
    posts.put(path, route);
  }

  void start() {
    http.start();
  }

  int port() {
    return http.getAddress().getPort();
  }

  /** The URL to open: it carries the token once; the page then holds it in a cookie. */
  String url() {
    return "http://127.0.0.1:" + port() + "/?token=" + token;
  }

  String token() {
    return token;
  }

  /** Sends an event of {@code type} with a JSON {@code data} to every open page. */
  synchronized void publish(String type, String json) {
    String event = "id: " + (++eventId) + "\nevent: " + type + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n";
    for (LinkedBlockingQueue<String> q : listeners) {
      if (!q.offer(event)) {
        q.clear(); // a page that does not read: it resynchronises from the snapshot on its next event
        q.offer("event: resync\ndata: {}\n\n");
      }
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String host = ex.getRequestHeaders().getFirst("Host");
      if (host == null || !(host.equals("127.0.0.1:" + port()) || host.equals("localhost:" + port()))) {
        send(ex, 403, "text/plain; charset=utf-8", "Forbidden: wrong Host header".getBytes(StandardCharsets.UTF_8));
        return;
      }
      URI uri = ex.getRequestURI();
      Map<String, String> query = query(uri.getRawQuery());
      String method = ex.getRequestMethod();
      boolean cookie = hasCookie(ex);
      if (!cookie && !matches(query.get("token")) && !matches(ex.getRequestHeaders().getFirst("X-DDP-Token"))) {
        send(ex, 401, "text/plain; charset=utf-8",
            "Unauthorized: open the URL with the token that `ddp studio` printed".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !(origin.equals("http://127.0.0.1:" + port()) || origin.equals("http://localhost:" + port()))) {
          send(ex, 403, "text/plain; charset=utf-8", "Forbidden: cross-origin request".getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      String path = uri.getPath();
      if (!cookie) {
        // Hold the token in a cookie the browser sends only to this origin, never to a script.
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        if (method.equals("GET") && path.equals("/") && query.containsKey("token")) {
          ex.getResponseHeaders().add("Location", "/");
          send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
          return;
        }
      }
      if (path.equals("/api/events") && method.equals("GET")) {
        events(ex);
        return;
      }
      Route route = (method.equals("POST") ? posts : gets).get(path);
      if (route != null) {
        String body = method.equals("POST") ? new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) : "";
        Reply reply;
        try {
          reply = route.handle(body, query);
        } catch (IllegalArgumentException e) {
          reply = new Reply(400, Json.object("error", String.valueOf(e.getMessage())));
        } catch (Exception e) {
          reply = new Reply(500, Json.object("error", e.toString()));
        }
        send(ex, reply.status(), TYPES.get("json"), reply.json().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (method.equals("GET")) {
        staticFile(ex, path.equals("/") ? "index.html" : path.substring(1));
        return;
      }
      send(ex, 405, "text/plain; charset=utf-8", "Method not allowed".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the browser went away
    }
  }

  private void staticFile(HttpExchange ex, String name) throws IOException {
    if (!name.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+") || name.contains("..")) {
      send(ex, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = StudioServer.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        send(ex, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
    }
  }

  private void events(HttpExchange ex) throws IOException {
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(1000);
    listeners.add(queue);
    try {
      headers(ex, "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.sendResponseHeaders(200, 0); // chunked: one chunk per event
      OutputStream out = ex.getResponseBody();
      out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (!closing) {
        String event = queue.poll(15, TimeUnit.SECONDS);
        out.write((event == null ? ": ping\n\n" : event).getBytes(StandardCharsets.UTF_8)); // a ping finds closed pages
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      listeners.remove(queue);
    }
  }

  private static void headers(HttpExchange ex, String type) {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    headers(ex, type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private boolean hasCookie(HttpExchange ex) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String part : header.split(";")) {
        String p = part.strip();
        if (p.startsWith(COOKIE + "=") && matches(p.substring(COOKIE.length() + 1))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Constant-time comparison with the token. */
  private boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = java.net.URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  @Override
  public void close() {
    closing = true;
    http.stop(0);
    threads.shutdownNow();
  }
}
