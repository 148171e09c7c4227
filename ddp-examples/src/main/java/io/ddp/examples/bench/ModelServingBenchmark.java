package io.ddp.examples.bench;

import com.sun.net.httpserver.HttpServer;
import io.ddp.ml.onnx.OnnxModel;
import io.ddp.ml.onnx.OnnxSpec;
import io.ddp.spark.testing.PipeTester;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The paper's claim, measured in one run on this machine: the same sentence-embedding model
 * (MiniLM, int8 ONNX) used (a) in a bare ONNX Runtime loop, (b) embedded in Spark through the
 * OnnxModel pipe, (c) behind an HTTP microservice called once per record from a Spark pipe, on
 * loopback and with a 10 ms simulated network round trip. Two worker threads everywhere
 * ({@code local[2]}, two loop threads, two service threads). Prints records/s and the ratios.
 * Run: {@code DDP_MAIN_CLASS=io.ddp.examples.bench.ModelServingBenchmark ./ddp [records]}.
 */
public final class ModelServingBenchmark {
  static final String MODEL = "classpath:all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER = "classpath:all-minilm-l6-v2-q-tokenizer.json";
  static final Map<String, String> INPUTS = Map.of("input_ids", "tokenizer:input_ids", "attention_mask", "tokenizer:attention_mask",
      "token_type_ids", "tokenizer:token_type_ids");

  private ModelServingBenchmark() {}

  static OnnxSpec spec(int batch) {
    return new OnnxSpec(MODEL, null, TOKENIZER, "text", 128, INPUTS,
        Map.of("last_hidden_state", new OnnxSpec.Output("embedding", "mean", true)), batch, 1);
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    List<String> texts = sentences(n);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("ddp-model-serving-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Dataset<Row> rows = spark.createDataFrame(texts.stream().map(t -> RowFactory.create(t)).toList(),
        new StructType().add("text", DataTypes.StringType)).repartition(4).cache();
    rows.count();

    OnnxModel model = OnnxModel.load(spec(32));
    bareLoop(model, texts.subList(0, 200));
    double bare = perSecond(n, () -> bareLoop(model, texts));

    String pipeParams = "{\"model\": \"" + MODEL + "\", \"tokenizer\": \"" + TOKENIZER + "\", \"textColumn\": \"text\","
        + " \"inputs\": {\"input_ids\": \"tokenizer:input_ids\", \"attention_mask\": \"tokenizer:attention_mask\","
        + " \"token_type_ids\": \"tokenizer:token_type_ids\"}, \"outputs\": {\"last_hidden_state\": {\"column\": \"embedding\","
        + " \"pooling\": \"mean\", \"normalize\": true}}, \"batchSize\": 32}";
    Runnable embedded = () -> PipeTester.of(spark).run("OnnxModel", pipeParams, Map.of("T", rows)).write().format("noop").mode("overwrite").save();
    embedded.run();
    double pipe = perSecond(n, embedded);

    double service0;
    double service10;
    OnnxModel single = OnnxModel.load(spec(1));
    try (Service service = new Service(single, 0)) {
      Runnable call = () -> callService(rows, service.url());
      call.run();
      service0 = perSecond(n, call);
    }
    try (Service service = new Service(single, 10)) {
      service10 = perSecond(n, () -> callService(rows, service.url()));
    }
    System.out.printf(Locale.ROOT, "%nSentence embeddings (MiniLM int8), %d records, 2 worker threads, %d cores%n", n,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-52s %12s %10s%n", "method", "records/s", "x service");
    row("(a) bare ONNX Runtime loop, batches of 32", bare, service0);
    row("(b) DDP OnnxModel pipe, embedded, batches of 32", pipe, service0);
    row("(c) HTTP microservice, 1 record per call, loopback", service0, service0);
    row("(d) HTTP microservice, 1 record per call, +10 ms RTT", service10, service0);
    System.out.printf(Locale.ROOT, "%nembedded pipe / bare loop:             %.2f%n", pipe / bare);
    System.out.printf(Locale.ROOT, "embedded pipe / microservice loopback: %.1fx%n", pipe / service0);
    System.out.printf(Locale.ROOT, "embedded pipe / microservice +10 ms:   %.1fx%n", pipe / service10);
    model.close();
    single.close();
    spark.stop();
  }

  private static void row(String name, double rate, double reference) {
    System.out.printf(Locale.ROOT, "%-52s %12.0f %10.2f%n", name, rate, rate / reference);
  }

  static List<String> sentences(int n) throws Exception {
    List<String> base = new ArrayList<>();
    try (var in = ModelServingBenchmark.class.getResourceAsStream("/io/ddp/examples/bench/sentences.txt")) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(base::add);
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(base.get(i % base.size()) + (i >= base.size() ? " (" + (i / base.size()) + ")" : ""));
    }
    return out;
  }

  static double perSecond(int n, Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  static void bareLoop(OnnxModel model, List<String> texts) {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> parts = new ArrayList<>();
      int half = texts.size() / 2;
      for (List<String> part : List.of(texts.subList(0, half), texts.subList(half, texts.size()))) {
        parts.add(threads.submit(() -> {
          for (int i = 0; i < part.size(); i += 32) {
            model.infer(part.subList(i, Math.min(part.size(), i + 32)), Map.of());
          }
        }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      threads.shutdown();
    }
  }

  /** Each task calls the service once per record, over one keep-alive client per partition. */
  static void callService(Dataset<Row> rows, String url) {
    MapPartitionsFunction<Row, Row> call = it -> {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        String text = it.next().getString(0);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        String[] parts = body.substring(1, body.length() - 1).split(",");
        Float[] v = new Float[parts.length];
        for (int i = 0; i < parts.length; i++) {
          v[i] = Float.parseFloat(parts[i]);
        }
        out.add(RowFactory.create(text, v));
      }
      return out.iterator();
    };
    StructType schema = new StructType().add("text", DataTypes.StringType).add("embedding", DataTypes.createArrayType(DataTypes.FloatType));
    rows.mapPartitions(call, Encoders.row(schema)).write().format("noop").mode("overwrite").save();
  }

  /** The model behind HTTP on 127.0.0.1: POST a text, get its embedding as a JSON array. */
  static final class Service implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    Service(OnnxModel model, long delayMs) throws Exception {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      server.setExecutor(threads);
      server.createContext("/embed", exchange -> {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (delayMs > 0) {
          try {
            Thread.sleep(delayMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        float[] v = (float[]) model.infer(List.of(text), Map.of()).get("embedding").get(0);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
          sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        byte[] bytes = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/embed";
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdown();
    }
  }

}
