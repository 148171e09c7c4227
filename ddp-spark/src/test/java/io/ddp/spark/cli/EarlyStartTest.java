package io.ddp.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.model.PipelineDeclare;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStartTest {
  private static boolean wants(String submitted, String... args) {
    return EarlyStart.wantsCaseTable(args, submitted);
  }

  @Test
  void theCaseTableIsPreparedOnlyForRunsAndShowsWhoseTasksRunInThisJvm() {
    assertThat(wants(null, "run", "p.json")).isTrue();
    assertThat(wants(null, "show", "p.json", "Words")).isTrue();
    assertThat(wants("local[2]", "run", "p.json")).as("spark-submit with a local master").isTrue();
    assertThat(wants(null, "run", "p.json", "--master", "local[4]")).isTrue();

    assertThat(wants(null, "validate", "p.json")).isFalse();
    assertThat(wants(null)).isFalse();
    assertThat(wants("spark://10.0.0.1:7077", "run", "p.json")).as("executors elsewhere").isFalse();
    assertThat(wants(null, "run", "p.json", "--master", "yarn")).isFalse();
    assertThat(wants(null, "run", "p.json", "--master=k8s://https://api:6443")).isFalse();
    assertThat(wants(null, "run", "p.json", "--dry-run")).as("nothing runs").isFalse();
    assertThat(wants(null, "run", "p.json", "--conf", "spark.ddp.fastStart=false")).as("switched off").isFalse();
    assertThat(wants(null, "run", "p.json", "--conf=spark.ddp.fastStart=false")).isFalse();
    assertThat(wants(null, "run", "p.json", "--", "--master", "yarn")).as("after --, not DDP's options").isTrue();
  }

  @Test
  void fastStartIsOnUnlessTheCommandLineOrThePipelineSwitchesItOff() {
    PipelineDeclare plain = pipeline("{}");
    PipelineDeclare off = pipeline("{\"spark.ddp.fastStart\": \"false\"}");
    assertThat(EarlyStart.enabled(plain, Map.of())).isTrue();
    assertThat(EarlyStart.enabled(off, Map.of())).isFalse();
    assertThat(EarlyStart.enabled(plain, Map.of("spark.ddp.fastStart", "FALSE"))).isFalse();
    assertThat(EarlyStart.enabled(off, Map.of("spark.ddp.fastStart", "true"))).as("the command line wins").isTrue();
  }

  private static PipelineDeclare pipeline(String spark) {
    String json = "{\"name\": \"p\", \"spark\": " + spark + ", \"data\": [{\"dataId\": \"A\", \"location\": \"/tmp/a\", \"format\": \"csv\"},"
        + " {\"dataId\": \"B\", \"location\": \"/tmp/b\", \"format\": \"csv\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"A\"], \"transformerType\": \"sql\", \"outputDataId\": \"B\", \"params\": {\"query\": \"SELECT * FROM A\"}}]}";
    PipelineReader.Result read = PipelineReader.read(json, "p.json", "/tmp", Map.of());
    assertThat(read.problems()).isEmpty();
    return read.pipeline();
  }
}
