package io.ddp.spark.profile;

import org.apache.spark.api.plugin.DriverPlugin;

/** The driver side of {@link PipeProfiler}: adds what executors send to {@link WorkProfile}. */
final class ProfileReceiver implements DriverPlugin {
  @Override
  public Object receive(Object message) {
    if (message instanceof WorkSamples s) {
      WorkProfile.record(s);
    }
    return null;
  }
}
