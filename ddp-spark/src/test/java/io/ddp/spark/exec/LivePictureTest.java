package io.ddp.spark.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.PipelineLoader;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.validate.Validator;
import io.ddp.spark.fixtures.StatePipes;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import io.ddp.viz.DagPicture;
import io.ddp.viz.PictureRenderer;
import io.ddp.viz.PipeView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The DAG picture follows a run, including a failing pipe (issue #7). */
@ExtendWith(SparkSessionExtension.class)
class LivePictureTest {
  @TempDir
  Path dir;

  @Test
  void thePictureShowsEachStateChangeAndTheFinalState(SparkSession spark) throws Exception {
    Assumptions.assumeTrue(PictureRenderer.dotAvailable(), "Graphviz dot is needed: apt-get install graphviz");
    StatePipes.FLAKY_FAILS.set(true);
    spark.range(1, 11).toDF("id").write().parquet(dir.resolve("ids").toString());
    Path p = dir.resolve("live.json");
    Files.writeString(p, "{\"name\": \"live\", \"data\": [{\"dataId\": \"Src\", \"location\": \"" + dir.resolve("ids") + "\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"A\", \"location\": \"" + dir.resolve("a") + "\", \"format\": \"parquet\"}, {\"dataId\": \"M\"},"
        + " {\"dataId\": \"B\", \"location\": \"" + dir.resolve("b") + "\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"Src\"], \"transformerType\": \"sql\", \"outputDataId\": \"A\", \"params\": {\"query\": \"SELECT id FROM Src\"}},"
        + " {\"name\": \"flaky\", \"inputDataId\": [\"A\"], \"transformerType\": \"Flaky\", \"outputDataId\": \"M\"},"
        + " {\"inputDataId\": [\"M\"], \"transformerType\": \"sql\", \"outputDataId\": \"B\", \"params\": {\"query\": \"SELECT * FROM M\"}}]}");
    ExecutionPlan plan = PipelineLoader.load(p, Map.of(), new Validator(null, List.of())).plan();
    Path svg = dir.resolve("live.svg");
    LivePicture picture = new LivePicture(plan, svg);
    List<String> snapshots = new CopyOnWriteArrayList<>();
    RunListener probe = new RunListener() {
      @Override
      public void pipeStarted(PlannedPipe pipe) {
        snapshots.add(DagPicture.dot(plan, picture.view()));
      }
    };
    try {
      assertThatThrownBy(() -> PipelineTester.of(spark, p).writeSinks(true).parallelism(1).listener(picture).listener(probe).run())
          .isInstanceOf(PipeFailedException.class);
    } finally {
      picture.close();
      StatePipes.FLAKY_FAILS.set(false);
    }
    assertThat(snapshots).hasSize(2);
    assertThat(snapshots.get(0)).contains("label=\"#1 sql\\nstage 1 · running");
    assertThat(snapshots.get(1)).contains("label=\"#1 sql\\nstage 1 · succeeded\\n10 rows").contains("label=\"#2 flaky\\nFlaky\\nstage 2 · running");

    assertThat(picture.view().pipe(1).state()).isEqualTo(PipeView.State.SUCCEEDED);
    assertThat(picture.view().pipe(2).state()).isEqualTo(PipeView.State.FAILED);
    assertThat(picture.view().pipe(3).state()).isEqualTo(PipeView.State.SKIPPED);
    String last = Files.readString(svg);
    assertThat(last).contains("<svg").contains("flaky dependency unavailable").contains("skipped").contains("10 rows written");
    assertThat(picture.renders()).isGreaterThanOrEqualTo(2);
  }
}
