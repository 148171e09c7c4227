package io.ddp.metrics;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each datum as a log line ({@code type: log}). */
public final class LogSink implements MetricSink {
  private static final Logger LOG = LoggerFactory.getLogger("io.ddp.metrics");
  private final java.util.function.Consumer<String> out;

  public LogSink() {
    this(LOG::info);
  }

  LogSink(java.util.function.Consumer<String> out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void publish(List<MetricDatum> batch) {
    for (MetricDatum d : batch) {
      out.accept("metric " + d.name() + " = " + format(d.value()) + " " + d.unit() + " " + d.dimensions());
    }
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** Makes {@link LogSink}s. */
  public static final class Factory implements MetricSinkFactory {
    @Override
    public String type() {
      return "log";
    }

    @Override
    public MetricSink create(Map<String, String> settings) {
      return new LogSink();
    }
  }
}
