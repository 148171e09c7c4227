package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.fixtures.StatePipes;
import io.ddp.testing.SharedSpark;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --from, --to, --only, --resume and --dry-run through the command line (issue #4). */
@ExtendWith(SparkSessionExtension.class)
class PartialRunsTest {
  @TempDir
  Path dir;

  Path file;
  String state;

  @BeforeEach
  void pipeline() throws Exception {
    StatePipes.EVENTS.clear();
    StatePipes.FLAKY_FAILS.set(false);
    Files.writeString(dir.resolve("src.csv"), "id,v\n1,a\n2,b\n3,c\n");
    file = dir.resolve("partial.json");
    state = dir.resolve("state").toString();
    Files.writeString(file, "{\"name\": \"partial\", \"data\": [\n"
        + "{\"dataId\": \"Src\", \"location\": \"${pipeline.dir}/src.csv\", \"schema\": \"id BIGINT, v STRING\", \"options\": {\"header\": true}},\n"
        + "{\"dataId\": \"A\", \"location\": \"${pipeline.dir}/out/a\", \"format\": \"parquet\", \"mode\": \"overwrite\"},\n"
        + "{\"dataId\": \"M\"},\n"
        + "{\"dataId\": \"B\", \"location\": \"${pipeline.dir}/out/b\", \"format\": \"parquet\", \"mode\": \"overwrite\"},\n"
        + "{\"dataId\": \"C\", \"location\": \"${pipeline.dir}/out/c\", \"format\": \"json\", \"mode\": \"overwrite\"}],\n"
        + "\"transformers\": [\n"
        + "{\"name\": \"upper\", \"inputDataId\": [\"Src\"], \"transformerType\": \"sql\", \"outputDataId\": \"A\", \"params\": {\"query\": \"SELECT id, upper(v) AS v FROM Src\"}},\n"
        + "{\"name\": \"flaky\", \"inputDataId\": [\"A\"], \"transformerType\": \"Flaky\", \"outputDataId\": \"M\"},\n"
        + "{\"inputDataId\": [\"M\"], \"transformerType\": \"sql\", \"outputDataId\": \"B\", \"params\": {\"query\": \"SELECT id * 10 AS id, v FROM M\"}},\n"
        + "{\"inputDataId\": [\"Src\"], \"transformerType\": \"sql\", \"outputDataId\": \"C\", \"params\": {\"query\": \"SELECT v FROM Src\"}}]}");
  }

  private DdpCommandTest.Outcome run(String... extra) {
    String[] args = Stream.concat(Stream.of("run", file.toString(), "--state-dir", state), Stream.of(extra)).toArray(String[]::new);
    return ddp(args);
  }

  private boolean written(String name) {
    return Files.exists(dir.resolve("out").resolve(name));
  }

  @Test
  void toRunsAPipeWithEverythingUpstreamAndOnlyReadsFromLocations(SparkSession spark) {
    DdpCommandTest.Outcome o = run("--to", "B");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("3 pipes, 2 sinks");
    assertThat(written("a")).isTrue();
    assertThat(written("b")).isTrue();
    assertThat(written("c")).as("#4 is not upstream of B").isFalse();

    DdpCommandTest.Outcome from = run("--from", "flaky");
    assertThat(from.code()).as(from.err()).isZero();
    assertThat(from.out()).contains("2 pipes, 1 sink (B: 3 rows");
    assertThat(StatePipes.EVENTS).containsExactly("applied #2", "applied #2");

    DdpCommandTest.Outcome only = run("--only", "#4");
    assertThat(only.code()).as(only.err()).isZero();
    assertThat(only.out()).contains("1 pipe, 1 sink (C: 3 rows");
    assertThat(spark.read().parquet(dir.resolve("out/b").toString()).orderBy("id").first().getLong(0)).isEqualTo(10L);
  }

  @Test
  void aSelectedPipeWhoseInputWasNeverWrittenSaysWhatMustRunFirst() {
    DdpCommandTest.Outcome o = run("--from", "2");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err()).contains("dataset 'A' at " + dir.resolve("out/a") + " does not exist yet: it is produced by"
        + " #1 'upper' (sql -> A), which this run does not select; run #1 'upper' (sql -> A) first (e.g. --from 1 or --to A)")
        .contains("nothing was run");

    DdpCommandTest.Outcome inMemory = run("--only", "3");
    assertThat(inMemory.code()).isEqualTo(2);
    assertThat(inMemory.err()).contains("dataset 'M' is read by #3 sql -> B but produced by #2 'flaky' (Flaky -> M), which is not"
        + " selected, and it has no location to read it from; run #2 'flaky' (Flaky -> M) in the same run (e.g. --to 3) or give 'M' a location");

    DdpCommandTest.Outcome unknown = run("--from", "uper");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no dataset, pipe name or pipe index is called 'uper' (did you mean 'upper'?)");
    assertThat(run("--only", "A", "--from", "1").code()).isEqualTo(2);
  }

  @Test
  void resumeRunsOnlyWhatDidNotCompleteAfterTheCauseIsFixed() {
    StatePipes.FLAKY_FAILS.set(true);
    DdpCommandTest.Outcome failed = run("--parallelism", "1");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err())
        .contains("ddp run: Pipe #2 'flaky' (Flaky -> M) failed: IllegalStateException: flaky dependency unavailable")
        .contains("skipped: #3 sql -> B")
        .contains("committed: A -> ")
        .contains("To resume after fixing the cause")
        .contains("run " + file + " --parallelism 1 --state-dir " + state + " --resume");
    assertThat(written("a")).isTrue();
    assertThat(written("b")).isFalse();

    StatePipes.FLAKY_FAILS.set(false);
    StatePipes.EVENTS.clear();
    DdpCommandTest.Outcome resumed = run("--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("Resuming partial: 2 pipes to write [B]; reading committed [A, C]")
        .contains("2 pipes, 1 sink (B: 3 rows");
    assertThat(StatePipes.EVENTS).containsExactly("applied #2");
    assertThat(written("b")).isTrue();

    DdpCommandTest.Outcome again = run("--resume");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("Nothing to resume: the last run of partial");
  }

  @Test
  void resumeWithoutAnEarlierRunSaysSo() {
    DdpCommandTest.Outcome none = run("--resume");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no earlier run of " + file + " is recorded in " + state);
  }

  @Test
  void aFixToTheFailedBranchKeepsTheCommittedSinks(SparkSession spark) throws Exception {
    StatePipes.FLAKY_FAILS.set(true);
    assertThat(run().code()).isEqualTo(1);
    StatePipes.FLAKY_FAILS.set(false);
    StatePipes.EVENTS.clear();
    // The fix changes only B's own pipe, and adds an unused variable: A and C depend on neither.
    Files.writeString(file, Files.readString(file).replace("id * 10", "id * 100"));
    DdpCommandTest.Outcome resumed = ddp("run", file.toString(), "--state-dir", state, "--resume", "--var", "extra=x");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("Resuming partial: 2 pipes to write [B]; reading committed [A, C]")
        .doesNotContain("writing again");
    assertThat(StatePipes.EVENTS).containsExactly("applied #2");
    assertThat(spark.read().parquet(dir.resolve("out/b").toString()).orderBy("id").first().getLong(0)).isEqualTo(100L);
  }

  @Test
  void aChangeUpstreamOfACommittedSinkWritesItAgain(SparkSession spark) throws Exception {
    StatePipes.FLAKY_FAILS.set(true);
    assertThat(run().code()).isEqualTo(1);
    StatePipes.FLAKY_FAILS.set(false);
    Files.writeString(file, Files.readString(file).replace("upper(v)", "lower(v)"));
    DdpCommandTest.Outcome resumed = run("--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("pipes to write [A, B]").contains("reading committed [C]")
        .contains("writing again [A], which depends on declarations that changed");
    assertThat(spark.read().parquet(dir.resolve("out/a").toString()).orderBy("id").first().getString(1)).isEqualTo("a");
    assertThat(spark.read().parquet(dir.resolve("out/b").toString()).orderBy("id").first().getString(1)).isEqualTo("a");
  }

  @Test
  void dryRunChecksInputsAndStartsNoJob(SparkSession spark) throws Exception {
    int jobs = SharedSpark.jobsStartedBy(spark, () -> {
      DdpCommandTest.Outcome o = run("--dry-run");
      assertThat(o.code()).as(o.err()).isZero();
      assertThat(o.out()).contains("Dry run of partial: 4 of 4 pipes; nothing is run")
          .contains("read   Src (csv) " + dir.resolve("src.csv"))
          .contains("stage 2: #2 'flaky' Flaky [A] -> M")
          .contains("keep   Src (2 consumers, persist auto)")
          .contains("keep   A (2 consumers, persist auto)")
          .contains("write  B (parquet, overwrite) " + dir.resolve("out/b"))
          .contains("OK: every input is there");

      Files.delete(dir.resolve("src.csv"));
      DdpCommandTest.Outcome missing = run("--dry-run");
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).contains("source dataset 'Src' at " + dir.resolve("src.csv") + " does not exist");
    });
    assertThat(jobs).isZero();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aStateFileThatCannotBeWrittenAtTheEndIsReportedNotACrash(SparkSession spark) throws Exception {
    Path breaking = dir.resolve("breaking.json");
    Files.writeString(breaking, "{\"name\": \"breaking\", \"data\": ["
        + "{\"dataId\": \"Src\", \"location\": \"${pipeline.dir}/src.csv\", \"schema\": \"id BIGINT, v STRING\", \"options\": {\"header\": true}},"
        + "{\"dataId\": \"Out\", \"location\": \"${pipeline.dir}/out/broken-state\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Src\"], \"transformerType\": \"BreakState\", \"outputDataId\": \"Out\"}]}");
    Path stateDir = dir.resolve("breakable-state");
    StatePipes.stateDirToBreak = stateDir;
    Path report = dir.resolve("breaking-report.json");
    DdpCommandTest.Outcome o = ddp("run", breaking.toString(), "--state-dir", stateDir.toString(), "--report", report.toString());

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.err()).contains("Cannot write run state").contains("(the run itself succeeded: every sink is committed)");
    assertThat(o.out()).contains("breaking succeeded").contains("Out: 3 rows");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile()).get("status").asText()).isEqualTo("succeeded");
    assertThat(spark.read().parquet(dir.resolve("out/broken-state").toString()).count()).isEqualTo(3);
  }
}
