package io.ddp.spark.pipes;

import io.ddp.core.pipe.PipeProvider;
import io.ddp.core.pipe.PipeRegistration;
import java.util.List;

/** Registers the pipes that come with ddp-spark. */
public final class BuiltinPipes implements PipeProvider {
  @Override
  public List<PipeRegistration> pipes() {
    return List.of(new PipeRegistration("sql", SqlPipe.class, "Runs params.query with every input visible by its dataId"),
        new PipeRegistration("OnnxModel", OnnxModelPipe.class, "Runs an ONNX model on every row, one session per executor JVM"));
  }
}
