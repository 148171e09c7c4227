package io.ddp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsPublisherTest {
  static final class Recording implements MetricSink {
    final List<List<MetricDatum>> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void publish(List<MetricDatum> batch) {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("transient");
      }
      batches.add(batch);
    }
  }

  private static MetricDatum datum(String name, double v) {
    return new MetricDatum(name, v, "Count", Instant.now(), Map.of("pipeline", "p"));
  }

  @Test
  void sendsAtTheCadenceAndFlushesWhatIsLeftOnClose() throws Exception {
    Recording sink = new Recording();
    MetricsPublisher publisher = MetricsPublisher.start(List.of(sink), Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMillis(10));
    publisher.record(datum("a", 1));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (sink.batches.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sink.batches).as("sent by the ticker (every 300 ms) before close").isNotEmpty();
    int before = sink.batches.size();
    publisher.record(datum("b", 2));
    publisher.close();
    assertThat(sink.batches).hasSize(before + 1);
    assertThat(sink.batches.get(sink.batches.size() - 1)).extracting(MetricDatum::name).containsExactly("b");
    assertThat(sink.batches.stream().flatMap(List::stream).map(MetricDatum::name)).containsExactly("a", "b");
    publisher.record(datum("late", 3));
    assertThat(sink.batches.stream().flatMap(List::stream).map(MetricDatum::name)).doesNotContain("late");
  }

  @Test
  void transientFailuresAreRetriedAndCounted() {
    Recording sink = new Recording();
    sink.failuresLeft.set(2);
    MetricsPublisher publisher = MetricsPublisher.start(List.of(sink), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(10));
    publisher.record(datum("a", 1));
    publisher.close();
    assertThat(sink.batches).hasSize(1);
    assertThat(publisher.stats().get("recording")).isEqualTo(new MetricsPublisher.SinkStats(1, 0, 0, "java.lang.IllegalStateException: transient"));
  }

  @Test
  void closingFromAnInterruptedThreadKeepsTheInterruptAndDoesNotWaitForASlowSink() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    MetricSink slow = new MetricSink() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public void publish(List<MetricDatum> batch) throws Exception {
        release.await();
      }
    };
    MetricsPublisher publisher = MetricsPublisher.start(List.of(slow), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(10));
    publisher.record(datum("a", 1));
    Thread.currentThread().interrupt();
    try {
      long t0 = System.nanoTime();
      publisher.close();
      assertThat(Thread.currentThread().isInterrupted()).as("the caller's interrupt is kept").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not the 30 s final-flush timeout").isLessThan(Duration.ofSeconds(20));
    } finally {
      Thread.interrupted();
      release.countDown();
    }
  }

  @Test
  void jsonlWritesOneDatumPerLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("m/metrics.jsonl");
    MetricSink sink = new JsonlSink.Factory().create(Map.of("type", "jsonl", "path", file.toString()));
    sink.publish(List.of(new MetricDatum("rows", 320, "Count", Instant.parse("2026-11-21T00:00:00Z"), Map.of("dataset", "Out"))));
    sink.publish(List.of(datum("b", 2)));
    List<String> lines = java.nio.file.Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("{\"name\":\"rows\",\"value\":320.0,\"unit\":\"Count\",\"timestamp\":\"2026-11-21T00:00:00Z\","
        + "\"dimensions\":{\"dataset\":\"Out\"}}");
  }

  @Test
  void logWritesOneLinePerDatum() {
    List<String> lines = new CopyOnWriteArrayList<>();
    new LogSink(lines::add).publish(List.of(
        new MetricDatum("rows", 320, "Count", Instant.now(), new java.util.LinkedHashMap<>(Map.of("dataset", "Out"))),
        new MetricDatum("pipe.durationSeconds", 1.25, "Seconds", Instant.now(), Map.of())));
    assertThat(lines).containsExactly("metric rows = 320 Count {dataset=Out}", "metric pipe.durationSeconds = 1.25 Seconds {}");
  }
}
