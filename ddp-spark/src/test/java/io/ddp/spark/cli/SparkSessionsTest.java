package io.ddp.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.model.PipelineDeclare;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static PipelineDeclare pipeline(Map<String, String> spark) {
    return new PipelineDeclare("p", Map.of(), spark, List.of(), List.of(), List.of());
  }

  @Test
  void masterPrecedence() {
    PipelineDeclare declaresMaster = pipeline(Map.of("spark.master", "local[3]"));
    Map<String, String> confMaster = Map.of("spark.master", "local[2]");
    assertThat(SparkSessions.master(declaresMaster, confMaster, Optional.of("yarn"), "spark://x:7077")).contains("yarn");
    assertThat(SparkSessions.master(declaresMaster, confMaster, Optional.empty(), "spark://x:7077"))
        .as("spark-submit's master is kept").isEmpty();
    assertThat(SparkSessions.master(declaresMaster, confMaster, Optional.empty(), null)).contains("local[2]");
    assertThat(SparkSessions.master(declaresMaster, Map.of(), Optional.empty(), null)).contains("local[3]");
    assertThat(SparkSessions.master(pipeline(Map.of()), Map.of(), Optional.empty(), null)).contains("local[*]");
  }

  @Test
  void theProfilerIsAddedToTheUsersPluginsNeverInsteadOfThem() {
    String ddp = io.ddp.spark.profile.PipeProfiler.class.getName();
    assertThat(SparkSessions.plugins(pipeline(Map.of()), Map.of(), null)).isEqualTo(ddp);
    assertThat(SparkSessions.plugins(pipeline(Map.of("spark.plugins", "a.P, b.Q")), Map.of(), "c.R")).isEqualTo("a.P,b.Q," + ddp);
    assertThat(SparkSessions.plugins(pipeline(Map.of("spark.plugins", "a.P")), Map.of("spark.plugins", "d.S"), "c.R"))
        .isEqualTo("d.S," + ddp);
    assertThat(SparkSessions.plugins(pipeline(Map.of()), Map.of(), "c.R," + ddp)).as("spark-submit's --conf is kept")
        .isEqualTo("c.R," + ddp);
  }
}
