package io.ddp.metrics;

import java.io.IOException;

/**
 * Where a {@link JsonlSink}'s lines go. This module writes local files itself; a file on S3 or HDFS
 * is given by the caller that has Hadoop (the {@code ddp} runner does it for a {@code path} with a
 * scheme such as {@code s3a://}).
 */
@FunctionalInterface
public interface LineStore {
  /** Appends {@code text} (whole lines, each ending in a newline); the lines are kept when this throws. */
  void append(String text) throws IOException;
}
