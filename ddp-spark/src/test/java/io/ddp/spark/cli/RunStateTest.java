package io.ddp.spark.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.exceptions.DdpException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStateTest {
  @TempDir
  Path dir;

  @Test
  void aDamagedStateFileIsToBeDeleted() throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(file, "{\"runId\": ");
    assertThatThrownBy(() -> RunState.read(file.toString(), new Configuration()))
        .isInstanceOf(DdpException.class)
        .hasMessageStartingWith("Cannot read run state " + file)
        .hasMessageEndingWith("; delete it to start afresh");
  }

  @Test
  void aStateFileThatCannotBeReachedIsNotToBeDeleted() {
    // No file system for the scheme: as a state dir on a store whose connector or credentials are missing.
    assertThatThrownBy(() -> RunState.read("nosuchfs://bucket/state/p.json", new Configuration()))
        .isInstanceOf(DdpException.class)
        .hasMessageStartingWith("Cannot read run state nosuchfs://bucket/state/p.json: ")
        .hasMessageContaining("reachable from the driver")
        .hasMessageNotContaining("delete it");
  }
}
