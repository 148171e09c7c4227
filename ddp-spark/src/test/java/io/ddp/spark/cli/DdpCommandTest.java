package io.ddp.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SparkSessionExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(SparkSessionExtension.class)
public class DdpCommandTest {
  @TempDir
  Path dir;

  public record Outcome(int code, String out, String err) {}

  public static Outcome ddp(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path pipeline(String json) throws Exception {
    Path p = dir.resolve("pipeline.json");
    Files.writeString(p, json);
    return p;
  }

  private String peopleSource() throws Exception {
    Path csv = dir.resolve("people.csv");
    Files.writeString(csv, "id,name,city\n1,ada,london\n2,grace,new york\n");
    return "{\"dataId\": \"People\", \"location\": \"" + csv + "\", \"format\": \"csv\","
        + " \"schema\": \"id BIGINT, name STRING, city STRING\", \"options\": {\"header\": true}}";
  }

  @Test
  void validatePrintsASummary() throws Exception {
    Path p = pipeline("{\"data\": [" + peopleSource() + ", {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("o") + "\", \"format\": \"csv\"}],"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}],"
        + "\"metrics\": [{\"metricId\": \"rows\", \"dataId\": \"Out\", \"expression\": \"count(1)\"}]}");
    Outcome o = ddp("validate", p.toString());
    assertThat(o.code()).isZero();
    assertThat(o.out().trim()).isEqualTo("OK: 2 datasets, 1 pipes, 1 metrics");
  }

  @Test
  void validateReportsEveryErrorWithPositionsAndExits2() throws Exception {
    Path p = pipeline("{\n"
        + "  \"data\": [\n"
        + "    {\"dataId\": \"In\", \"locaton\": \"x.csv\"},\n"
        + "    {\"dataId\": \"Out\", \"schema\": \"id BIGNT\"}\n"
        + "  ],\n"
        + "  \"transformers\": [\n"
        + "    {\"inputDataId\": [\"Inn\"], \"transformerType\": \"sqll\", \"outputDataId\": \"Out\"}\n"
        + "  ]\n"
        + "}\n");
    Outcome o = ddp("validate", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).isEmpty();
    assertThat(o.err())
        .contains(p + ":3:22: error: dataset 'In': unknown key \"locaton\" in a dataset declaration (did you mean 'location'?)")
        .contains(p + ":7:22: error: pipe #1 sqll -> Out: input 'Inn' is not declared (did you mean 'In'?)")
        .contains("unknown transformerType 'sqll' (did you mean 'sql'?)")
        .contains(p + ":4:23: error: dataset 'Out': schema \"id BIGNT\" is not valid Spark DDL")
        .contains("errors; nothing was run");
  }

  @Test
  void syntaxErrorHasLineAndColumn() throws Exception {
    Path p = pipeline("{\n  \"data\": [\n    {\"dataId\": \"A\",}\n  ]\n}");
    Outcome o = ddp("validate", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains(p + ":3:").contains("invalid JSON");
  }

  @Test
  void planPrintsStagesAndJson() throws Exception {
    Path p = pipeline("{\"data\": [" + peopleSource() + ", {\"dataId\": \"A\"}, {\"dataId\": \"B\"},"
        + "{\"dataId\": \"C\", \"location\": \"" + dir.resolve("c") + "\", \"format\": \"parquet\"}],"
        + "\"transformers\": ["
        + "{\"name\": \"join\", \"inputDataId\": [\"A\", \"B\"], \"transformerType\": \"sql\", \"outputDataId\": \"C\", \"params\": {\"query\": \"SELECT * FROM A\"}},"
        + "{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"A\", \"params\": {\"query\": \"SELECT * FROM People\"}},"
        + "{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"B\", \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    Outcome o = ddp("plan", p.toString());
    assertThat(o.code()).isZero();
    assertThat(o.out().split("\\R")).containsExactly(
        "stage 1: #2 sql [People] -> A",
        "stage 1: #3 sql [People] -> B",
        "stage 2: #1 'join' sql [A, B] -> C");
    Outcome json = ddp("plan", "--json", p.toString());
    assertThat(json.out().trim()).isEqualTo("{\"stages\":[[{\"index\":2,\"name\":null,\"transformerType\":\"sql\",\"inputDataId\":[\"People\"],\"outputDataId\":\"A\"},"
        + "{\"index\":3,\"name\":null,\"transformerType\":\"sql\",\"inputDataId\":[\"People\"],\"outputDataId\":\"B\"}],"
        + "[{\"index\":1,\"name\":\"join\",\"transformerType\":\"sql\",\"inputDataId\":[\"A\",\"B\"],\"outputDataId\":\"C\"}]]}");
  }

  @Test
  void runSucceedsAndVarsOverride(SparkSession spark) throws Exception {
    Path p = pipeline("{\"variables\": {\"out\": \"unused\"}, \"data\": [" + peopleSource() + ","
        + "{\"dataId\": \"Out\", \"location\": \"${out}\", \"format\": \"json\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT name FROM People WHERE city = '${city}'\"}}]}");
    Path out = dir.resolve("run-out");
    Outcome o = ddp("run", p.toString(), "--var", "out=" + out, "--var", "city=london", "--conf", "spark.sql.shuffle.partitions=2");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("pipeline succeeded").contains("Out: 1 rows -> " + out);
    assertThat(spark.read().json(out.toString()).collectAsList()).extracting(r -> r.getString(0)).containsExactly("ada");
  }

  @Test
  void runWithFailingPipeExits1NamingThePipe() throws Exception {
    Path p = pipeline("{\"data\": [" + peopleSource() + ", {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("f") + "\", \"format\": \"json\"}],"
        + "\"transformers\": [{\"inputDataId\": \"People\", \"transformerType\": \"Fail\", \"outputDataId\": \"Out\"}]}");
    Outcome o = ddp("run", p.toString());
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err()).contains("ddp run: Pipe #1 Fail -> Out failed: IllegalStateException: boom: the model file is corrupt");
  }

  @Test
  void runOfInvalidPipelineExits2() throws Exception {
    Path p = pipeline("{\"data\": [], \"transformers\": [{\"inputDataId\": \"X\", \"transformerType\": \"sql\", \"outputDataId\": \"Y\"}]}");
    Outcome o = ddp("run", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("input 'X' is not declared").contains("nothing was run");
  }

  @Test
  void usageErrorsExit2AndHelpWorks() {
    assertThat(ddp("frobnicate").code()).isEqualTo(2);
    assertThat(ddp("validate").code()).isEqualTo(2);
    assertThat(ddp().code()).isEqualTo(2);
    Outcome help = ddp("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("validate").contains("plan").contains("run").contains("Exit codes");
    assertThat(ddp("run", "--help").out()).contains("--master").contains("--conf").contains("--var");
  }

  @Test
  void missingFileIsAClearError() {
    Outcome o = ddp("validate", dir.resolve("nope.json").toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("Cannot read pipeline").contains("no such file");
  }

  @Test
  void pipesListsAliases() {
    Outcome o = ddp("pipes");
    assertThat(o.out()).contains("sql\tio.ddp.spark.pipes.SqlPipe").contains("Upper\t");
  }

  @Test
  void vizDrawsTheDagAsDotAndSvg() throws Exception {
    Path p = pipeline("{\"data\": [" + peopleSource() + ", {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("o") + "\", \"format\": \"csv\"}],"
        + "\"transformers\": [{\"name\": \"copy\", \"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    Outcome dot = ddp("viz", p.toString(), "-o", dir.resolve("dag.dot").toString());
    assertThat(dot.code()).as(dot.err()).isZero();
    assertThat(Files.readString(dir.resolve("dag.dot"))).contains("label=\"People\\nsource · csv").contains("label=\"#1 copy\\nsql\\nstage 1\"")
        .contains("d0 -> p1;").contains("p1 -> d1;");
    org.junit.jupiter.api.Assumptions.assumeTrue(io.ddp.viz.PictureRenderer.dotAvailable(), "Graphviz dot is needed");
    Outcome svg = ddp("viz", p.toString(), "-o", dir.resolve("dag.svg").toString());
    assertThat(svg.code()).isZero();
    assertThat(Files.readString(dir.resolve("dag.svg"))).contains("<svg").contains("copy");
    assertThat(ddp("viz", p.toString()).code()).as("-o is required").isEqualTo(2);
  }

  @Test
  void anS3KeyWithCharactersJavasUriRejectsIsAcceptedNotACrash() throws Exception {
    Path p = pipeline("{\"data\": [{\"dataId\": \"In\", \"location\": \"s3a://bucket/a&b/{x}|y\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("o") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM In\"}}]}");
    Outcome o = ddp("validate", p.toString());
    assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(o.code()).as(o.err()).isZero();

    Path noBucket = pipeline("{\"data\": [{\"dataId\": \"In\", \"location\": \"s3a:///a&b\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("o") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\","
        + " \"params\": {\"query\": \"SELECT * FROM In\"}}]}");
    Outcome bad = ddp("validate", noBucket.toString());
    assertThat(bad.code()).isEqualTo(DdpCommand.EXIT_INVALID);
    assertThat(bad.err()).contains("an s3a location names a bucket: s3a://BUCKET/path").doesNotContain("Exception");
  }

  @Test
  void aMetricsIntervalOutOfRangeIsAUsageErrorBeforeSparkStarts() throws Exception {
    Path p = pipeline("{\"data\": [" + peopleSource() + ", {\"dataId\": \"Out\", \"location\": \"" + dir.resolve("o")
        + "\", \"format\": \"csv\"}], \"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\","
        + " \"outputDataId\": \"Out\", \"params\": {\"query\": \"SELECT * FROM People\"}}]}");
    for (String value : List.of("0", "-5", "86401")) {
      Outcome o = ddp("run", p.toString(), "--metrics-interval", value);
      assertThat(o.code()).as(value).isEqualTo(DdpCommand.EXIT_INVALID);
      assertThat(o.err()).contains("--metrics-interval must be a whole number of seconds from 1 to 86400, not " + value);
    }
    assertThat(dir.resolve("o")).doesNotExist();
  }
}
