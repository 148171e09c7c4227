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

/**
 * A user's pipe is checked exactly like a built-in one: its own {@code check} runs in
 * {@code ddp validate}, and its {@code outputSchema} feeds the schema checks of the pipes after it.
 */
@ExtendWith(SparkSessionExtension.class)
class PipeOwnChecksTest {
  private static final String KEEP = "io.ddp.spark.fixtures.CheckedPipes$KeepColumns";
  private static final String BROKEN = "io.ddp.spark.fixtures.CheckedPipes$BrokenCheck";

  @TempDir
  Path dir;

  @Test
  void validateReportsEachPipesOwnProblemsWithTheRestAtTheParam() throws Exception {
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"In\", \"location\": \"in.csv\"}, {\"dataId\": \"A\"}, {\"dataId\": \"B\"},"
        + " {\"dataId\": \"C\"}, {\"dataId\": \"D\", \"location\": \"d\", \"format\": \"parquet\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"In\"], \"transformerType\": \"" + KEEP + "\", \"outputDataId\": \"A\", \"params\": {\"columns\": []}},\n"
        + "{\"inputDataId\": [\"A\"], \"transformerType\": \"" + KEEP + "\", \"outputDataId\": \"B\", \"params\": {\"columns\": [\"id\", \" \"]}},\n"
        + "{\"inputDataId\": [\"B\"], \"transformerType\": \"" + BROKEN + "\", \"outputDataId\": \"C\","
        + " \"params\": {\"columns\": [\"id\"]}},\n"
        + "{\"inputDataId\": [\"C\", \"Nowhere\"], \"transformerType\": \"io.ddp.spark.fixtures.CheckedPipes$InjectedOnly\","
        + " \"outputDataId\": \"D\", \"params\": {\"columns\": [\"id\"]}}]}\n");
    DdpCommandTest.Outcome o = ddp("validate", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("pipe #1 " + KEEP + " -> A: give at least one column to keep")
        .contains("pipe #2 " + KEEP + " -> B: a column name cannot be blank")
        .contains("pipe #3 " + BROKEN + " -> C: the pipe's own check of its params failed: java.lang.IllegalStateException: bug in the check")
        .contains("pipe #4 io.ddp.spark.fixtures.CheckedPipes$InjectedOnly -> D: input 'Nowhere' is not declared")
        .contains("4 errors; nothing was run")
        .doesNotContain("never asked");
    // The positions are the params themselves: pipe #1's "columns", pipe #2's second column.
    String first = Files.readAllLines(p).get(2);
    String second = Files.readAllLines(p).get(3);
    assertThat(o.err()).contains(p + ":3:" + (first.indexOf("\"columns\"") + 1) + ": error: pipe #1");
    assertThat(o.err()).contains(p + ":4:" + (second.indexOf("\" \"") + 1) + ": error: pipe #2");
  }

  @Test
  void aPipesOwnOutputSchemaChecksThePipesAfterItBeforeAnyJob(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("in.csv"), "id,name,score\n1,a,0.5\n");
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"data\": [\n"
        + "{\"dataId\": \"In\", \"location\": \"" + dir.resolve("in.csv") + "\", \"schema\": \"id BIGINT, name STRING, score DOUBLE\","
        + " \"options\": {\"header\": \"true\"}},\n"
        + "{\"dataId\": \"Mid\"},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\"},\n"
        + "{\"dataId\": \"Typed\", \"location\": \"" + dir.resolve("typed") + "\", \"format\": \"parquet\", \"schema\": \"id INT, name STRING\"},\n"
        + "{\"dataId\": \"Bad\", \"location\": \"" + dir.resolve("bad") + "\", \"format\": \"parquet\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"In\"], \"transformerType\": \"" + KEEP + "\", \"outputDataId\": \"Mid\", \"params\": {\"columns\": [\"id\", \"name\"]}},\n"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\", \"params\": {\"query\": \"SELECT id, score FROM Mid\"}},\n"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"" + KEEP + "\", \"outputDataId\": \"Typed\", \"params\": {\"columns\": [\"id\", \"name\"]}},\n"
        + "{\"inputDataId\": [\"In\"], \"transformerType\": \"" + KEEP + "\", \"outputDataId\": \"Bad\", \"params\": {\"columns\": [\"id\", \"nmae\"]}}]}\n");
    DdpCommandTest.Outcome[] run = new DdpCommandTest.Outcome[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> run[0] = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString()));
    DdpCommandTest.Outcome o = run[0];
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err())
        .contains("pipe #2 sql -> Out: the query does not fit the schemas of its inputs:")
        .contains("`score`")
        .contains("pipe #3 " + KEEP + " -> Typed: the pipe produces id BIGINT,name STRING, which does not match the declared schema"
            + " of 'Typed': column id is BIGINT but declared INT")
        .contains("pipe #4 " + KEEP + " -> Bad: 'nmae' is not an input column; columns: [id, name, score]")
        .contains("3 schema error(s); nothing was run");
    assertThat(jobs).isZero();
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void aStatedOutputSchemaThatHoldsRunsAsDeclared() throws Exception {
    Files.writeString(dir.resolve("in.csv"), "id,name,score\n1,a,0.5\n2,b,1.5\n");
    Path p = dir.resolve("p.json");
    Files.writeString(p, "{\"data\": [\n"
        + "{\"dataId\": \"In\", \"location\": \"" + dir.resolve("in.csv") + "\", \"schema\": \"id BIGINT, name STRING, score DOUBLE\","
        + " \"options\": {\"header\": \"true\"}},\n"
        + "{\"dataId\": \"Mid\"},\n"
        + "{\"dataId\": \"Out\", \"location\": \"" + dir.resolve("out") + "\", \"format\": \"parquet\", \"schema\": \"name STRING, n BIGINT\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": [\"In\"], \"transformerType\": \"" + KEEP + "\", \"outputDataId\": \"Mid\", \"params\": {\"columns\": [\"name\", \"id\"]}},\n"
        + "{\"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT name, count(id) AS n FROM Mid GROUP BY name\"}}]}\n");
    DdpCommandTest.Outcome o = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(SparkSession.active().read().parquet(dir.resolve("out").toString()).orderBy("name").collectAsList())
        .hasToString("[[a,1], [b,1]]");
  }
}
