package io.ddp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.servers.CloudWatchServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CloudWatch sink through the real AWS SDK client against a local endpoint speaking its protocol. */
class CloudWatchSinkTest {
  CloudWatchServer server;

  @BeforeEach
  void start() throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = new CloudWatchServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private MetricSink sink(String timeoutSeconds) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("type", "cloudwatch");
    settings.put("namespace", "DDP/Test");
    settings.put("region", "eu-west-1");
    settings.put("endpoint", server.endpoint());
    settings.put("accessKey", "AKIDTEST");
    settings.put("secretKey", "secret");
    settings.put("timeoutSeconds", timeoutSeconds);
    return new CloudWatchSink.Factory().create(settings);
  }

  @Test
  void sendsPutMetricDataWithNamespaceNamesValuesUnitsAndDimensions() throws Exception {
    Instant at = Instant.parse("2026-11-21T10:15:30Z");
    try (MetricSink sink = sink("10")) {
      sink.publish(List.of(
          new MetricDatum("docsPerLanguage", 42, "Count", at,
              Map.of("pipeline", "langdetect", "dataset", "Docs", "metric", "docsPerLanguage", "lang", "de")),
          new MetricDatum("pipe.durationSeconds", 1.5, "Seconds", at, Map.of("pipeline", "langdetect", "pipe", "#2 Detect -> Docs")),
          new MetricDatum("broken", Double.NaN, "Count", at, Map.of())));
    }
    assertThat(server.requests).hasSize(1);
    Map<String, String> r = server.requests.get(0);
    assertThat(r).containsEntry("Action", "PutMetricData").containsEntry("Version", "2010-08-01").containsEntry("Namespace", "DDP/Test")
        .containsEntry("MetricData.member.1.MetricName", "docsPerLanguage")
        .containsEntry("MetricData.member.1.Value", "42.0")
        .containsEntry("MetricData.member.1.Unit", "Count")
        .containsEntry("MetricData.member.1.Timestamp", "2026-11-21T10:15:30Z")
        .containsEntry("MetricData.member.2.MetricName", "pipe.durationSeconds")
        .containsEntry("MetricData.member.2.Unit", "Seconds")
        .doesNotContainKey("MetricData.member.3.MetricName");
    Map<String, String> dims = new LinkedHashMap<>();
    for (int i = 1; i <= 4; i++) {
      dims.put(r.get("MetricData.member.1.Dimensions.member." + i + ".Name"), r.get("MetricData.member.1.Dimensions.member." + i + ".Value"));
    }
    assertThat(dims).containsEntry("pipeline", "langdetect").containsEntry("dataset", "Docs").containsEntry("lang", "de")
        .containsEntry("metric", "docsPerLanguage");
  }

  @Test
  void batchesWithinTheApiLimit() throws Exception {
    List<MetricDatum> many = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      many.add(new MetricDatum("m" + i, i, "Count", Instant.now(), Map.of("pipeline", "p")));
    }
    try (MetricSink sink = sink("10")) {
      sink.publish(many);
    }
    assertThat(server.requests).hasSize(3);
    assertThat(server.requests.get(0)).containsKey("MetricData.member.1000.MetricName").doesNotContainKey("MetricData.member.1001.MetricName");
    assertThat(server.requests.get(2)).containsEntry("MetricData.member.500.MetricName", "m2499");
  }

  @Test
  void aFailingOrStalledEndpointNeverHoldsUpThePublisher() throws Exception {
    server.mode = CloudWatchServer.Mode.STALL;
    long t0 = System.nanoTime();
    MetricsPublisher publisher = MetricsPublisher.start(List.of(sink("1")), Duration.ofMillis(200), Duration.ofSeconds(2),
        Duration.ofMillis(50));
    publisher.record(new MetricDatum("rows", 1, "Count", Instant.now(), Map.of()));
    Thread.sleep(300);
    publisher.record(new MetricDatum("rows", 2, "Count", Instant.now(), Map.of()));
    publisher.close();
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(seconds).as("close waits at most the final-flush timeout").isLessThan(10);
    MetricsPublisher.SinkStats stats = publisher.stats().get("cloudwatch DDP/Test");
    assertThat(stats.sent()).isZero();
    assertThat(stats.failed() + stats.dropped()).isPositive();

    server.mode = CloudWatchServer.Mode.FAIL;
    MetricsPublisher failing = MetricsPublisher.start(List.of(sink("5")), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(10));
    failing.record(new MetricDatum("rows", 1, "Count", Instant.now(), Map.of()));
    failing.close();
    assertThat(failing.stats().get("cloudwatch DDP/Test").failed()).isEqualTo(1);
    assertThat(failing.stats().get("cloudwatch DDP/Test").lastError()).contains("test failure");
  }
}
