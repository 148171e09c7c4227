package io.ddp.core.pipe;

import java.util.List;

/** Listed in {@code META-INF/services/io.ddp.core.pipe.PipeProvider} of the test resources. */
public final class TestPipeProvider implements PipeProvider {
  @Override
  public List<PipeRegistration> pipes() {
    return List.of(new PipeRegistration("test.echo", PipeTypesTest.Echo.class, "Returns its only input"));
  }
}
