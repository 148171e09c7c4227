package io.ddp.spark.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.spark.fixtures.TestPipes;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class SparkExecutorTest {
  @TempDir
  Path dir;

  private Path write(String name, String json) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, json);
    return p;
  }

  private Path people() throws Exception {
    Path csv = dir.resolve("people.csv");
    Files.writeString(csv, "id,name,city\n1,ada,london\n2,grace,new york\n3,linus,helsinki\n");
    return csv;
  }

  private String source() throws Exception {
    return "{\"dataId\": \"People\", \"location\": \"" + people() + "\", \"format\": \"csv\","
        + " \"schema\": \"id BIGINT, name STRING, city STRING\", \"options\": {\"header\": true}}";
  }

  @Test
  void runsPipesInMemoryAndWritesTheSinkWithPartitions(SparkSession spark) throws Exception {
    Path out = dir.resolve("out");
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Upper\"},"
        + "{\"dataId\": \"ByCity\", \"location\": \"" + out + "\", \"format\": \"parquet\", \"partitionBy\": [\"city\"]}],"
        + "\"transformers\": ["
        + "{\"inputDataId\": \"People\", \"transformerType\": \"Upper\", \"outputDataId\": \"Upper\", \"params\": {\"column\": \"name\"}},"
        + "{\"inputDataId\": [\"Upper\"], \"transformerType\": \"sql\", \"outputDataId\": \"ByCity\","
        + " \"params\": {\"query\": \"SELECT id, name, city FROM Upper WHERE id > 1\"}}]}");
    RunResult result = PipelineTester.of(spark, file).writeSinks(true).run();

    assertThat(result.sinks()).singleElement().satisfies(s -> {
      assertThat(s.dataId()).isEqualTo("ByCity");
      assertThat(s.rows()).isEqualTo(2);
    });
    assertThat(result.pipes()).extracting(RunResult.PipeOutcome::status).containsOnly(RunResult.Status.SUCCEEDED);
    assertThat(Files.exists(out.resolve("city=helsinki"))).isTrue();
    Dataset<Row> written = spark.read().parquet(out.toString()).select("id", "name", "city");
    DataFrameAssertions.assertRows(written, List.of(RowFactory.create(2L, "GRACE", "new york"), RowFactory.create(3L, "LINUS", "helsinki")));
    assertThat(result.summary()).startsWith("p succeeded in").contains("1 sink (ByCity: 2 rows -> " + out + ")");
  }

  @Test
  void modeErrorIfExistsRefusesToOverwrite(SparkSession spark) throws Exception {
    Path out = dir.resolve("exists");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "previous");
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Out\", \"location\": \"" + out + "\", \"format\": \"json\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"Upper\", \"outputDataId\": \"Out\", \"params\": {\"column\": \"name\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).writeSinks(true).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("Pipe #1 Upper -> Out failed")
        .hasMessageContaining("cannot write dataset 'Out' to " + out);
    assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("previous");
  }

  @Test
  void failingPipeIsNamedAndItsCleanupRuns(SparkSession spark) throws Exception {
    int before = TestPipes.Fail.CLEANED.get();
    Path file = write("p.json", "{\"data\": [" + source() + ", {\"dataId\": \"A\"}, {\"dataId\": \"B\"}],"
        + "\"transformers\": ["
        + "{\"inputDataId\": \"People\", \"transformerType\": \"Fail\", \"outputDataId\": \"A\"},"
        + "{\"inputDataId\": \"A\", \"transformerType\": \"Upper\", \"outputDataId\": \"B\", \"params\": {\"column\": \"name\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessage("Pipe #1 Fail -> A failed: IllegalStateException: boom: the model file is corrupt")
        .satisfies(e -> assertThat(((PipeFailedException) e).index()).isEqualTo(1));
    assertThat(TestPipes.Fail.CLEANED.get()).isEqualTo(before + 1);
  }

  @Test
  void outputMissingADeclaredColumnIsFoundBeforeTheRun(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Slim\", \"schema\": \"id BIGINT, name STRING, city STRING\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"DropColumn\", \"outputDataId\": \"Slim\","
        + " \"params\": {\"column\": \"city\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).run())
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("pipe #1 DropColumn -> Slim: the pipe produces id BIGINT,name STRING, which does not match the declared"
            + " schema of 'Slim': missing column city STRING");
  }

  @Test
  void outputMissingADeclaredColumnNamesPipeAndColumnWhenItRuns(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Slim\", \"schema\": \"id BIGINT, name STRING, city STRING\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"" + TestPipes.OpaqueDropColumn.class.getName()
        + "\", \"outputDataId\": \"Slim\", \"params\": {\"column\": \"city\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).run())
        .isInstanceOf(PipeFailedException.class)
        .hasMessageContaining("Pipe #1 " + TestPipes.OpaqueDropColumn.class.getName() + " -> Slim failed")
        .hasMessageContaining("declared schema of dataset 'Slim'")
        .hasMessageContaining("missing column city STRING");
  }

  @Test
  void outputWithWrongTypeAndExtraColumnIsFoundBeforeTheRun(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Typed\", \"schema\": \"id BIGINT, name STRING\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"CastColumn\", \"outputDataId\": \"Typed\","
        + " \"params\": {\"column\": \"id\", \"type\": \"string\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).run())
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("pipe #1 CastColumn -> Typed: the pipe produces")
        .hasMessageContaining("column id is STRING but declared BIGINT")
        .hasMessageContaining("undeclared column city STRING");
  }

  @Test
  void outputWithWrongTypeAndExtraColumnNamesThemWhenItRuns(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Typed\", \"schema\": \"id BIGINT, name STRING\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"" + TestPipes.OpaqueCastColumn.class.getName()
        + "\", \"outputDataId\": \"Typed\", \"params\": {\"column\": \"id\", \"type\": \"string\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).run())
        .hasMessageContaining("Pipe #1 " + TestPipes.OpaqueCastColumn.class.getName() + " -> Typed failed")
        .hasMessageContaining("column id is STRING but declared BIGINT")
        .hasMessageContaining("undeclared column city STRING");
  }

  @Test
  void outputColumnsAreOrderedAsDeclared(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ","
        + "{\"dataId\": \"Reordered\", \"schema\": \"city STRING, id BIGINT, name STRING\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"Upper\", \"outputDataId\": \"Reordered\","
        + " \"params\": {\"column\": \"city\"}}]}");
    Dataset<Row> out = PipelineTester.of(spark, file).run().captured().get("Reordered");
    DataFrameAssertions.assertSchema(out, "city STRING, id BIGINT, name STRING");
    assertThat(out.filter("id = 1").first().getString(0)).isEqualTo("LONDON");
  }

  @Test
  void pipesGetGuiceInjectedServices(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ", {\"dataId\": \"Greeted\", \"location\": \"" + dir.resolve("g")
        + "\", \"format\": \"json\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"Greet\", \"outputDataId\": \"Greeted\"}]}");
    Dataset<Row> out = PipelineTester.of(spark, file).run().captured().get("Greeted");
    assertThat(out.select("greeting").distinct().collectAsList()).containsExactly(RowFactory.create("hello from Guice"));
    assertThat(Files.exists(dir.resolve("g"))).as("captured sinks are not written").isFalse();
  }

  @Test
  void pipeNamedByClassNameRuns(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ", {\"dataId\": \"U\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"" + TestPipes.Upper.class.getName()
        + "\", \"outputDataId\": \"U\", \"params\": {\"column\": \"city\"}}]}");
    Dataset<Row> out = PipelineTester.of(spark, file).run().captured().get("U");
    assertThat(out.filter("id = 2").first().getString(2)).isEqualTo("NEW YORK");
  }

  @Test
  void badParamsFailValidationNamingPipeAndField(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ", {\"dataId\": \"U\"}, {\"dataId\": \"V\"}],\n"
        + "\"transformers\": [\n"
        + "{\"inputDataId\": \"People\", \"transformerType\": \"Upper\", \"outputDataId\": \"U\", \"params\": {\"colum\": \"name\"}},\n"
        + "{\"inputDataId\": \"U\", \"transformerType\": \"CastColumn\", \"outputDataId\": \"V\", \"params\": {\"column\": [1]}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).run())
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("p.json:3:")
        .hasMessageContaining("pipe #1 Upper -> U: unknown param 'colum' (did you mean 'column'?)")
        .hasMessageContaining("pipe #2 CastColumn -> V: param 'column' must be a String");
  }

  @Test
  void replacedSourceNeedsToBeASource(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ", {\"dataId\": \"U\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"Upper\", \"outputDataId\": \"U\", \"params\": {\"column\": \"city\"}}]}");
    Dataset<Row> df = spark.sql("SELECT 1 AS id");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).source("U", df).run())
        .hasMessageContaining("'U' is produced by #1 Upper -> U, not a source");
    assertThatThrownBy(() -> PipelineTester.of(spark, file).source("Nope", df).run())
        .hasMessageContaining("declares no dataset 'Nope'");
  }

  @Test
  void noViewsOrCachedDataRemainAfterARun(SparkSession spark) throws Exception {
    Path file = write("p.json", "{\"data\": [" + source() + ", {\"dataId\": \"Q\", \"location\": \"" + dir.resolve("q")
        + "\", \"format\": \"parquet\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"sql\", \"outputDataId\": \"Q\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    PipelineTester.of(spark, file).writeSinks(true).run();
    assertThat(spark.catalog().listTables().collectAsList()).noneMatch(t -> t.name().startsWith("ddp_") || t.name().equalsIgnoreCase("People"));
  }
}
