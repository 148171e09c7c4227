package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.testing.SharedSpark;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schemas flow through the whole DAG before the run: a pipe's stated contract (requiredColumns,
 * outputSchema) and, for a pipe that states nothing, the schema Spark's analyser gives it on empty
 * inputs. {@code ddp validate} reports every problem with no job run.
 */
@ExtendWith(SparkSessionExtension.class)
class ContractsTest {
  private static final String STATED = "io.ddp.spark.fixtures.ContractPipes$TextLength";
  private static final String DERIVED = "io.ddp.spark.fixtures.ContractPipes$Shout";
  private static final String EAGER = "io.ddp.spark.fixtures.ContractPipes$Eager";
  private static final String BY_INDEX = "io.ddp.spark.fixtures.ContractPipes$ByIndex";

  @TempDir
  Path dir;

  private String notes() throws Exception {
    Files.writeString(dir.resolve("notes.csv"), "id,text,city\n1,hello,Oslo\n2,hej,Bergen\n");
    return "{\"dataId\": \"Notes\", \"location\": \"" + dir.resolve("notes.csv") + "\", \"schema\": \"id BIGINT, text STRING, city STRING\","
        + " \"options\": {\"header\": \"true\"}}";
  }

  private String sink(String id, String schema) {
    return "{\"dataId\": \"" + id + "\", \"location\": \"" + dir.resolve(id.toLowerCase()) + "\", \"format\": \"parquet\""
        + (schema == null ? "" : ", \"schema\": \"" + schema + "\"") + "}";
  }

  private static String pipe(String type, String in, String out, String params) {
    return "{\"inputDataId\": [\"" + in + "\"], \"transformerType\": \"" + type + "\", \"outputDataId\": \"" + out + "\", \"params\": "
        + params + "}";
  }

  @Test
  void aColumnDroppedByTheFirstPipeAndNeededByTheThirdIsReportedByValidateWithNoJob(SparkSession spark) throws Exception {
    Path p = dir.resolve("chain.json");
    Files.writeString(p, "{\"data\": [" + notes() + ", {\"dataId\": \"Slim\"}, {\"dataId\": \"Kept\"},\n"
        + sink("Lengths", null) + ", " + sink("Loud", null) + ", " + sink("Indexed", null) + "],\n\"transformers\": [\n"
        + pipe("DropColumn", "Notes", "Slim", "{\"column\": \"text\"}") + ",\n"
        + pipe("sql", "Slim", "Kept", "{\"query\": \"SELECT * FROM Slim WHERE id > 0\"}") + ",\n"
        + pipe(STATED, "Kept", "Lengths", "{\"column\": \"text\"}") + ",\n"
        + pipe(DERIVED, "Notes", "Loud", "{\"column\": \"txt\"}") + ",\n"
        + pipe(BY_INDEX, "Notes", "Indexed", "{\"column\": \"cty\"}") + "]}\n");
    DdpCommandTest.Outcome[] validated = new DdpCommandTest.Outcome[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> validated[0] = ddp("validate", p.toString()));
    DdpCommandTest.Outcome o = validated[0];

    assertThat(o.code()).as(o.err()).isEqualTo(2);
    String third = Files.readAllLines(p).get(5);
    assertThat(o.err())
        .contains(p + ":6:" + (third.indexOf("\"inputDataId\"") + 1) + ": error: pipe #3 " + STATED + " -> Lengths: needs column text"
            + " STRING in input 'Kept', which has no such column; 'Kept' has id BIGINT,city STRING")
        .contains("error: pipe #4 " + DERIVED + " -> Loud: does not fit the schemas of its inputs (Notes: id BIGINT,text STRING,"
            + "city STRING): ")
        .contains("`txt`")
        .contains("error: pipe #5 " + BY_INDEX + " -> Indexed: does not fit the schemas of its inputs")
        .contains("`cty`")
        .contains("3 errors; nothing was run");
    assertThat(o.out()).doesNotContain("OK:");
    assertThat(jobs).as("validate reads no data").isZero();

    DdpCommandTest.Outcome declarationsOnly = ddp("validate", "--no-spark", p.toString());
    assertThat(declarationsOnly.code()).as(declarationsOnly.err()).isZero();
    assertThat(declarationsOnly.out()).startsWith("OK: 6 datasets, 5 pipes, 0 metrics");
  }

  @Test
  void statedAndDerivedSchemasFlowToThePipesAfterThem(SparkSession spark) throws Exception {
    Path p = dir.resolve("flow.json");
    String json = "{\"data\": [" + notes() + ", {\"dataId\": \"L\"}, " + sink("S", "city STRING, loud STRING") + ", "
        + sink("T", null) + "],\n\"transformers\": [\n"
        + pipe(STATED, "Notes", "L", "{\"column\": \"text\"}") + ",\n"
        + pipe(DERIVED, "L", "S", "{\"column\": \"city\"}") + ",\n"
        + pipe("sql", "L", "T", "{\"query\": \"SELECT id, text_length FROM L\"}") + "]}\n";
    Files.writeString(p, json);

    DdpCommandTest.Outcome[] planned = new DdpCommandTest.Outcome[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> planned[0] = ddp("plan", "--schemas", p.toString()));
    assertThat(planned[0].code()).as(planned[0].err()).isZero();
    assertThat(planned[0].out())
        .contains("    in  Notes: id BIGINT,text STRING,city STRING")
        .contains("    out L: id BIGINT,text STRING,city STRING,text_length INT")
        .contains("    out S: city STRING,loud STRING")
        .contains("    out T: id BIGINT,text_length INT");
    assertThat(jobs).isZero();
    assertThat(ddp("validate", p.toString()).out()).startsWith("OK: 4 datasets, 3 pipes, 0 metrics");

    Files.writeString(p, json.replace("city STRING, loud STRING", "city STRING, loud INT"));
    DdpCommandTest.Outcome mismatch = ddp("validate", p.toString());
    assertThat(mismatch.code()).isEqualTo(2);
    assertThat(mismatch.err()).contains("pipe #2 " + DERIVED + " -> S: the pipe produces city STRING,loud STRING, which does not match"
        + " the declared schema of 'S': column loud is STRING but declared INT");

    DdpCommandTest.Outcome run = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(run.code()).as("the mismatch stops the run too").isEqualTo(2);
    Files.writeString(p, json);
    run = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(spark.read().parquet(dir.resolve("t").toString()).orderBy("id").collectAsList()).hasToString("[[1,5], [2,3]]");
    assertThat(List.of(spark.read().parquet(dir.resolve("s").toString()).schema().fieldNames())).containsExactly("city", "loud");
  }

  @Test
  void aPipeThatStartsAJobOnEmptyInputsIsReportedAndStillRuns(SparkSession spark) throws Exception {
    Path p = dir.resolve("eager.json");
    Files.writeString(p, "{\"data\": [" + notes() + ", " + sink("E", null) + "],\n\"transformers\": [\n"
        + pipe(EAGER, "Notes", "E", "{}") + "]}\n");
    DdpCommandTest.Outcome o = ddp("validate", p.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.err()).contains("warning: pipe #1 " + EAGER + " -> E: applied to empty inputs to learn its output schema, it started")
        .contains("Spark job(s): apply should return its output lazily");
    DdpCommandTest.Outcome run = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(spark.read().parquet(dir.resolve("e").toString()).select("total").distinct().collectAsList()).hasToString("[[2]]");
  }

  @Test
  void parquetSourcesWithoutADeclaredSchemaAreCheckedByTheirFooters(SparkSession spark) throws Exception {
    spark.sql("SELECT CAST(1 AS BIGINT) AS id, 'hello' AS text").write().parquet(dir.resolve("src").toString());
    spark.sql("SELECT CAST(1 AS BIGINT) AS id, 'hello' AS text, 'x' AS part").write().partitionBy("part")
        .parquet(dir.resolve("parts").toString());
    Path p = dir.resolve("footer.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"Src\", \"location\": \"" + dir.resolve("src") + "\", \"format\": \"parquet\"},\n"
        + "{\"dataId\": \"Parts\", \"location\": \"" + dir.resolve("parts") + "\", \"format\": \"parquet\"},\n"
        + sink("A", null) + ", " + sink("B", null) + "],\n\"transformers\": [\n"
        + pipe(STATED, "Src", "A", "{\"column\": \"txt\"}") + ",\n"
        + pipe(STATED, "Parts", "B", "{\"column\": \"txt\"}") + "]}\n");

    DdpCommandTest.Outcome[] validated = new DdpCommandTest.Outcome[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> validated[0] = ddp("validate", p.toString()));

    assertThat(validated[0].code()).isEqualTo(2);
    assertThat(validated[0].err())
        .contains("pipe #1 " + STATED + " -> A: needs column txt STRING in input 'Src', which has no such column (did you mean 'text'?);"
            + " 'Src' has id BIGINT,text STRING")
        .contains("pipe #2 " + STATED + " -> B: needs column txt STRING in input 'Parts', which has no such column (did you mean 'text'?);"
            + " 'Parts' has id BIGINT,text STRING,part STRING")
        .as("a partitioned layout: one footer plus the partition column, typed as Spark infers it")
        .contains("2 errors; nothing was run");
    assertThat(jobs).as("footers are read on the driver, no job").isZero();
  }

  /**
   * Derivation cannot see columns that depend on the data (a pivot without values analyses to no
   * value columns on empty inputs, and starts no job there): the error says how the pipe's author
   * opts out, and once marked, the pipe runs as before.
   */
  @Test
  void aSchemaThatDependsOnTheDataNeedsTheOptOut(SparkSession spark) throws Exception {
    Path p = dir.resolve("pivot.json");
    String json = "{\"data\": [" + notes() + ", " + sink("P", "city STRING, hello BIGINT, hej BIGINT") + "],\n"
        + "\"transformers\": [\n" + pipe("io.ddp.spark.fixtures.ContractPipes$PivotText", "Notes", "P", "{}") + "]}\n";
    Files.writeString(p, json);
    DdpCommandTest.Outcome o = ddp("validate", p.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("the pipe produces city STRING, which does not match the declared schema of 'P': missing columns"
        + " hello BIGINT, hej BIGINT").contains("as a pivot without values does, state its outputSchema or mark it @NoSchemaDerivation");

    Files.writeString(p, json.replace("PivotText", "PivotTextMarked"));
    assertThat(ddp("validate", p.toString()).code()).isZero();
    DdpCommandTest.Outcome run = ddp("run", p.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(spark.read().parquet(dir.resolve("p").toString()).orderBy("city").collectAsList())
        .hasToString("[[Bergen,null,1], [Oslo,1,null]]");
  }
}
