package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SharedSpark;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** sql pipes are analysed against declared schemas before any job starts (issue #5). */
@ExtendWith(SparkSessionExtension.class)
class StaticSchemaCheckTest {
  @TempDir
  Path dir;

  @Test
  void everySqlSchemaMismatchIsReportedBeforeAnyJob(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("in.csv"), "id,name\n1,a\n");
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"data\": [\n"
        + "{\"dataId\": \"In\", \"location\": \"" + dir.resolve("in.csv") + "\", \"schema\": \"id BIGINT, name STRING\", \"options\": {\"header\": \"true\"}},\n"
        + "{\"dataId\": \"Mid\"},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\", \"schema\": \"id BIGINT, label STRING\"},\n"
        + "{\"dataId\": \"Parts\", \"location\": \"" + dir.resolve("parts") + "\", \"format\": \"parquet\", \"partitionBy\": [\"day\"]},\n"
        + "{\"dataId\": \"Typo\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Mid\", \"params\": {\"query\": \"SELECT id, upper(name) AS name FROM In\"}},\n"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\", \"params\": {\"query\": \"SELECT id, name FROM Mid\"}},\n"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Parts\", \"params\": {\"query\": \"SELECT id FROM Mid\"}},\n"
        + "{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Typo\", \"params\": {\"query\": \"SELECT nmae FROM In\"}}]}\n");
    DdpCommandTest.Outcome[] run = new DdpCommandTest.Outcome[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> run[0] = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString()));
    DdpCommandTest.Outcome o = run[0];
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains(p + ":9:52: error: pipe #2 sql -> Out: the pipe produces id BIGINT,name STRING,")
        .contains("does not match the declared schema of 'Out': missing column label STRING; undeclared column name STRING")
        .contains("pipe #3 sql -> Parts: 'Parts' is partitioned by 'day', which the pipe does not produce; it produces [id]")
        .contains("pipe #4 sql -> Typo: the query does not fit the schemas of its inputs:")
        .contains("`nmae`")
        .contains("3 schema error(s); nothing was run");
    assertThat(jobs).isZero();
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void aMetricThatIsNotAnAggregateIsReportedBeforeAnyJob() throws Exception {
    Path p = dir.resolve("m.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"In\", \"location\": \"" + dir.resolve("in.parquet") + "\", \"schema\": \"id BIGINT, score DOUBLE\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\", \"params\": {\"query\": \"SELECT * FROM In\"}}],"
        + " \"metrics\": [{\"metricId\": \"plusOne\", \"dataId\": \"Out\", \"expression\": \"score + 1\"},"
        + " {\"metricId\": \"windowed\", \"dataId\": \"Out\", \"expression\": \"count(1) OVER ()\"},"
        + " {\"metricId\": \"distinctIds\", \"dataId\": \"Out\", \"expression\": \"count(DISTINCT id)\"},"
        + " {\"metricId\": \"ok\", \"dataId\": \"Out\", \"expression\": \"max(score)\"}]}");
    Files.createDirectories(dir.resolve("in.parquet"));
    DdpCommandTest.Outcome o = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("metric 'plusOne': \"score + 1\" is not an aggregate over 'Out' (id, score)")
        .contains("metric 'windowed': \"count(1) OVER ()\" cannot be observed while 'Out' is computed:")
        .contains("Window expressions are not allowed in observed metrics")
        .contains("use a plain aggregate (no window OVER clause)")
        .doesNotContain("metric 'ok'").doesNotContain("metric 'distinctIds'");
  }
}
