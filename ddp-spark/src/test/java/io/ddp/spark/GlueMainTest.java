package io.ddp.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Glue's argument list: its own --KEY VALUE pairs around the job's parameters. */
@ExtendWith(SparkSessionExtension.class)
class GlueMainTest {
  /** What a Glue 5 Scala job's main receives (the job's own parameters mixed in, in no set order). */
  private static String[] glueArgs(String... jobParameters) {
    List<String> args = new java.util.ArrayList<>(List.of("--JOB_ID", "j_0f1e2d3c4b5a", "--JOB_RUN_ID",
        "jr_4d6b0c54a1e8f7d2b9c6a3e0f5d8c1b4a7e2f9d6c3b0a5e8f1d4c7b2a9e6f3d0", "--job-bookmark-option", "job-bookmark-disable",
        "--TempDir", "s3://aws-glue-assets-123456789012-eu-west-1/temporary/", "--enable-metrics", "", "--enable-glue-datacatalog",
        "true", "--enable-spark-ui", "true", "--spark-event-logs-path", "s3://aws-glue-assets-123456789012-eu-west-1/sparkHistoryLogs/",
        "--class", "io.ddp.spark.GlueMain", "--extra-jars", "s3://bucket/jars/ddp-runner.jar,s3://bucket/jars/my-pipes.jar",
        "--job-language", "scala", "--JOB_NAME", "ddp-scoring"));
    args.addAll(List.of(jobParameters));
    return args.toArray(String[]::new);
  }

  @Test
  void glueArgumentsAreLeftAloneAndJobParametersBecomeDdpOptions() {
    GlueMain.Translation t = GlueMain.translate(glueArgs("--pipeline", "s3://bucket/pipelines/scoring.json", "--var-out",
        "s3://bucket/out", "--var-day", "2026-12-03", "--conf-spark.sql.shuffle.partitions", "64", "--ddp-state-dir",
        "s3://bucket/state", "--ddp-resume", "true", "--ddp-viz", "false", "--pipline", "typo.json"));
    assertThat(t.ddpArgs()).containsExactly("run", "s3://bucket/pipelines/scoring.json", "--var", "out=s3://bucket/out", "--var",
        "day=2026-12-03", "--conf", "spark.sql.shuffle.partitions=64", "--state-dir", "s3://bucket/state", "--resume");
    assertThat(t.warnings()).containsExactly("ignored job parameter --pipline (DDP reads --pipeline, --command, --var-NAME,"
        + " --conf-KEY and --ddp-OPTION)");
  }

  @Test
  void withoutAPipelineTheJobSaysWhichParameterToAdd() {
    assertThatThrownBy(() -> GlueMain.translate(glueArgs())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add the job parameter --pipeline");
    assertThatThrownBy(() -> GlueMain.translate(glueArgs("--pipeline", "p.json", "--command", "drop")))
        .hasMessageContaining("--command must be run, validate or plan, not 'drop'");
  }

  @Test
  void aGlueJobRunsThePipelineAndFailsByThrowing(SparkSession spark, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id,name\n1,ada\n2,grace\n");
    Path pipeline = dir.resolve("job.json");
    Files.writeString(pipeline, "{\"data\": [{\"dataId\": \"In\", \"location\": \"" + csv + "\", \"format\": \"csv\","
        + " \"schema\": \"id INT, name STRING\", \"options\": {\"header\": \"true\"}},"
        + " {\"dataId\": \"Out\", \"location\": \"${out}\", \"format\": \"parquet\", \"mode\": \"overwrite\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT id, upper(name) AS name FROM In WHERE id > ${min}\"}}],"
        + " \"variables\": {\"min\": \"0\"}}");
    Path out = dir.resolve("out");
    GlueMain.main(glueArgs("--pipeline", pipeline.toString(), "--var-out", out.toString(), "--var-min", "1", "--ddp-state-dir",
        dir.resolve("state").toString()));
    assertThat(spark.read().parquet(out.toString()).collectAsList().toString()).isEqualTo("[[2,GRACE]]");

    assertThatThrownBy(() -> GlueMain.main(glueArgs("--pipeline", dir.resolve("missing.json").toString())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ddp run " + dir.resolve("missing.json"))
        .hasMessageContaining("exit code 2");
  }
}
