package io.ddp.spark.exec;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a run's listeners what happens; a listener that throws is logged and never stops the run. */
final class RunEvents {
  private static final Logger LOG = LoggerFactory.getLogger(SparkExecutor.class);
  private final List<RunListener> listeners;

  RunEvents(List<RunListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void tell(Consumer<RunListener> event) {
    for (RunListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("run listener {} failed: {}", l, e.toString());
      }
    }
  }
}
