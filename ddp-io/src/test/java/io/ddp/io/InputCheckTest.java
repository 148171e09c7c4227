package io.ddp.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.plan.Planner;
import io.ddp.core.plan.Selection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCheckTest {
  @TempDir
  Path dir;

  /** A -> #1 -> B (at {@code bLocation}) -> #2 -> C; the run selects only #2, so B is read from its location. */
  private static List<String> problemsFromSecondPipe(String aLocation, String bLocation) {
    String json = "{\"data\": [{\"dataId\": \"A\", \"location\": \"" + aLocation + "\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"B\", \"location\": \"" + bLocation + "\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"C\", \"location\": \"" + aLocation + "-c\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"name\": \"first\", \"inputDataId\": \"A\", \"transformerType\": \"sql\", \"outputDataId\": \"B\","
        + " \"params\": {\"query\": \"SELECT * FROM A\"}},"
        + " {\"name\": \"second\", \"inputDataId\": \"B\", \"transformerType\": \"sql\", \"outputDataId\": \"C\","
        + " \"params\": {\"query\": \"SELECT * FROM B\"}}]}";
    PipelineReader.Result read = PipelineReader.read(json, "t.json", "t", Map.of(), n -> null);
    Selection selection = Selection.partial(Planner.plan(read.pipeline()), Optional.of("2"), Optional.empty(), Optional.empty());
    return InputCheck.problems(selection, Set.of(), new Configuration());
  }

  @Test
  void aMissingOutputOfAnUnselectedPipeSaysWhichPipeToRunFirst() {
    String b = dir.resolve("b").toString();
    assertThat(problemsFromSecondPipe(dir.resolve("a").toString(), b)).containsExactly("dataset 'B' at " + b
        + " does not exist yet: it is produced by #1 'first' (sql -> B), which this run does not select;"
        + " run #1 'first' (sql -> B) first (e.g. --from 1 or --to B)");
  }

  @Test
  void aLocationThatCannotBeCheckedIsReportedAsSuchEvenWhenAPipeProducesIt() {
    List<String> problems = problemsFromSecondPipe(dir.resolve("a").toString(), "nofs://bucket/b");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("dataset 'B' at nofs://bucket/b cannot be checked (")
        .contains("nofs")
        .endsWith("; check its \"location\"")
        .doesNotContain("does not exist yet");
  }
}
