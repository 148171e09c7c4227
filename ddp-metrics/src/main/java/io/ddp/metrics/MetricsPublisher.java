package io.ddp.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends recorded metrics to every sink at a fixed cadence, and once more when closed. Recording never
 * blocks; each sink has its own thread, so a slow or failing sink delays only itself; failures are
 * retried with backoff (3 attempts), logged once per sink with its name, and counted; a batch a sink
 * cannot take in time is dropped (and counted) rather than queued forever; closing waits for the
 * final flush at most {@code finalFlushTimeout}.
 *
 * <pre>{@code
 * try (MetricsPublisher publisher = MetricsPublisher.start(sinks, Duration.ofSeconds(30), Duration.ofSeconds(10))) {
 *   publisher.record(datum);
 * }
 * }</pre>
 */
public final class MetricsPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);
  static final int ATTEMPTS = 3;
  /** Batches a sink may have waiting before new ones are dropped. */
  static final int MAX_PENDING = 20;

  private final List<SinkWorker> workers = new ArrayList<>();
  private final ConcurrentLinkedQueue<MetricDatum> buffer = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService ticker;
  private final Duration finalFlushTimeout;
  private final Duration initialBackoff;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsPublisher(List<MetricSink> sinks, Duration interval, Duration finalFlushTimeout, Duration initialBackoff) {
    this.finalFlushTimeout = finalFlushTimeout;
    this.initialBackoff = initialBackoff;
    sinks.forEach(s -> workers.add(new SinkWorker(s)));
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ddp-metrics-publisher"));
    long ms = interval.toMillis();
    ticker.scheduleAtFixedRate(this::flush, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** A started publisher; backoff between attempts starts at 1 s and doubles. */
  public static MetricsPublisher start(List<MetricSink> sinks, Duration interval, Duration finalFlushTimeout) {
    return new MetricsPublisher(sinks, interval, finalFlushTimeout, Duration.ofSeconds(1));
  }

  static MetricsPublisher start(List<MetricSink> sinks, Duration interval, Duration finalFlushTimeout, Duration backoff) {
    return new MetricsPublisher(sinks, interval, finalFlushTimeout, backoff);
  }

  /** Queues a datum for the next send; never blocks. */
  public void record(MetricDatum datum) {
    if (!closed.get()) {
      buffer.add(datum);
    }
  }

  public void record(List<MetricDatum> data) {
    data.forEach(this::record);
  }

  /** What each sink did: batches sent, failed (after retries), dropped. */
  public Map<String, SinkStats> stats() {
    Map<String, SinkStats> out = new java.util.LinkedHashMap<>();
    workers.forEach(w -> out.put(w.sink.name(), new SinkStats(w.sent.get(), w.failed.get(), w.dropped.get(), w.lastError)));
    return out;
  }

  /**
   * Per-sink counts.
   *
   * @param sent batches accepted by the sink
   * @param failed batches that failed every attempt
   * @param dropped batches dropped because the sink fell behind or the final flush timed out
   * @param lastError the last failure's message, or null
   */
  public record SinkStats(long sent, long failed, long dropped, String lastError) {}

  private synchronized void flush() {
    List<MetricDatum> batch = new ArrayList<>();
    MetricDatum d;
    while ((d = buffer.poll()) != null) {
      batch.add(d);
    }
    if (batch.isEmpty()) {
      return;
    }
    List<MetricDatum> copy = List.copyOf(batch);
    workers.forEach(w -> w.submit(copy));
  }

  /** Flushes what is left, waits for the sinks at most the final-flush timeout, and stops. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.shutdownNow();
    flush();
    long deadline = System.nanoTime() + finalFlushTimeout.toNanos();
    for (SinkWorker w : workers) {
      w.finish(deadline);
    }
    stats().forEach((name, s) -> {
      if (s.failed() > 0 || s.dropped() > 0) {
        LOG.warn("metrics sink {}: {} batches sent, {} failed, {} dropped (last error: {})", name, s.sent(), s.failed(), s.dropped(),
            s.lastError());
      }
    });
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One sink's own thread and counters. */
  private final class SinkWorker {
    private final MetricSink sink;
    private final ExecutorService thread;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final List<Future<?>> inFlight = new ArrayList<>();
    private volatile String lastError;

    SinkWorker(MetricSink sink) {
      this.sink = sink;
      this.thread = Executors.newSingleThreadExecutor(r -> daemon(r, "ddp-metrics-" + sink.name()));
    }

    synchronized void submit(List<MetricDatum> batch) {
      if (pending.get() >= MAX_PENDING) {
        dropped.incrementAndGet();
        return;
      }
      pending.incrementAndGet();
      inFlight.removeIf(Future::isDone);
      inFlight.add(thread.submit(() -> send(batch)));
    }

    private void send(List<MetricDatum> batch) {
      try {
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
          try {
            sink.publish(batch);
            sent.incrementAndGet();
            return;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.incrementAndGet();
            return;
          } catch (Exception e) {
            lastError = e.toString();
            if (warned.compareAndSet(false, true)) {
              LOG.warn("metrics sink {} failed: {} (retrying with backoff; further failures are counted, not logged)",
                  sink.name(), e.toString());
            }
            if (attempt < ATTEMPTS) {
              Thread.sleep(backoff);
              backoff *= 2;
            }
          }
        }
        failed.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dropped.incrementAndGet();
      } finally {
        pending.decrementAndGet();
      }
    }

    void finish(long deadline) {
      List<Future<?>> waiting;
      synchronized (this) {
        waiting = new ArrayList<>(inFlight);
      }
      for (Future<?> f : waiting) {
        long left = deadline - System.nanoTime();
        try {
          if (left <= 0) {
            throw new TimeoutException();
          }
          f.get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          // The caller is stopping: keep its interrupt, and leave the rest of the final batch behind.
          Thread.currentThread().interrupt();
          f.cancel(true);
          LOG.warn("metrics sink {}: closing was interrupted before its final batch was sent", sink.name());
        } catch (TimeoutException e) {
          if (!f.isDone()) {
            f.cancel(true);
            LOG.warn("metrics sink {} did not finish its final batch in time; the run goes on without it", sink.name());
          }
        } catch (Exception e) {
          // send() records its own failures.
        }
      }
      thread.shutdownNow();
      try {
        sink.close();
      } catch (Exception e) {
        LOG.debug("closing metrics sink {} failed: {}", sink.name(), e.toString());
      }
    }
  }

  /** All sink factories on the class path, by type. */
  public static Map<String, MetricSinkFactory> factories(ClassLoader loader) {
    Map<String, MetricSinkFactory> out = new ConcurrentHashMap<>();
    List.of(new LogSink.Factory(), new JsonlSink.Factory(), new CloudWatchSink.Factory()).forEach(f -> out.put(f.type(), f));
    java.util.ServiceLoader.load(MetricSinkFactory.class, loader).forEach(f -> out.put(f.type(), f));
    return out;
  }
}
