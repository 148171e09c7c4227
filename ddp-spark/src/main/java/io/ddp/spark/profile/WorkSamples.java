package io.ddp.spark.profile;

import java.io.Serializable;
import java.util.Map;

/**
 * What an executor sampled of one task: the task's job group and, by what the thread was doing (a
 * pipe's label or a kind of Spark work), how many samples; sent to the driver when the task ends.
 *
 * @param group the task's job group ({@code ddp-RUN-STEP} for a DDP run)
 * @param intervalMillis time between two samples
 * @param counts samples by what the thread was doing
 */
record WorkSamples(String group, long intervalMillis, Map<String, Long> counts) implements Serializable {
  WorkSamples {
    counts = Map.copyOf(counts);
  }
}
