package io.ddp.io;

/**
 * The run around one read: the other declared datasets (a source's quarantine target), and what
 * reading set up and found: something to release when the dataset is no longer needed, rows put in
 * quarantine, columns cast.
 */
public interface ReadContext {
  /** A context that knows no other dataset, releases nothing and reports nothing (for one-off reads). */
  ReadContext NONE = new ReadContext() {};

  /** Another declared dataset of the pipeline, by dataId. */
  default java.util.Optional<io.ddp.core.model.DataDeclare> declared(String dataId) {
    return java.util.Optional.empty();
  }

  /** Something to close when the dataset read is no longer needed (e.g. a cache of the parsed file). */
  default void onCleanup(AutoCloseable resource) {}

  /**
   * Malformed rows of a source were put aside.
   *
   * @param dataId the source
   * @param good rows read
   * @param bad rows quarantined
   * @param location where the bad rows went, or null when there were none
   */
  default void quarantined(String dataId, long good, long bad, String location) {}

  /**
   * Writes rows to a quarantine location through {@code write}, given the target to write (the same,
   * or with mode append when the run already wrote there). The run serialises writes per location.
   */
  default void writeQuarantine(io.ddp.core.model.DataDeclare target, java.util.function.Consumer<io.ddp.core.model.DataDeclare> write) {
    write.accept(target);
  }

  /** Data read was cast or trimmed to the declared schema ({@code schemaPolicy: cast}). */
  default void adjusted(String dataId, java.util.List<String> changes) {}
}
