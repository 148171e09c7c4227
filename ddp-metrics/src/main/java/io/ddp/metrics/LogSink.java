package io.ddp.metrics;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each datum as a log line ({@code type: log}): declared and user metrics to the logger
 * {@code io.ddp.metrics}, DDP's own per-pipe and per-run samples ({@code pipe.*}, {@code run.*}) to
 * {@code io.ddp.metrics.builtin}, which the command line shows with {@code -v} only.
 */
public final class LogSink implements MetricSink {
  private static final Logger LOG = LoggerFactory.getLogger("io.ddp.metrics");
  private static final Logger BUILTIN = LoggerFactory.getLogger("io.ddp.metrics.builtin");
  private final java.util.function.Consumer<String> out;
  private final java.util.function.Consumer<String> builtin;

  public LogSink() {
    this(LOG::info, BUILTIN::info);
  }

  LogSink(java.util.function.Consumer<String> out) {
    this(out, out);
  }

  LogSink(java.util.function.Consumer<String> out, java.util.function.Consumer<String> builtin) {
    this.out = out;
    this.builtin = builtin;
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void publish(List<MetricDatum> batch) {
    for (MetricDatum d : batch) {
      String line = "metric " + d.name() + " = " + format(d.value()) + " " + d.unit() + " " + d.dimensions();
      (d.name().startsWith("pipe.") || d.name().startsWith("run.") ? builtin : out).accept(line);
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
