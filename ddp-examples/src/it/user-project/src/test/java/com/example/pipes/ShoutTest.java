package com.example.pipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ddp.spark.cli.DdpCommand;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipeTester;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.spark.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class ShoutTest {
  @Test
  void shoutsWithTheFixture(SparkSession spark) {
    Dataset<Row> in = spark.sql("SELECT 1L AS id, 'hey' AS title");
    Dataset<Row> out = PipeTester.of(spark).run(new Shout(), new Shout.Params("title", 2), Map.of("Reviews", in));
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create(1L, "HEYHEY")));
  }

  @Test
  void badParamsNameTheField(SparkSession spark) {
    Exception e = assertThrows(RuntimeException.class,
        () -> PipeTester.of(spark).run(Shout.class.getName(), "{\"colum\": \"title\", \"times\": 1}", Map.of()));
    assertTrue(e.getMessage().contains("unknown param 'colum' (did you mean 'column'?)"), e.getMessage());
  }

  @Test
  void pipelineNamingThePipeByClassRuns(SparkSession spark) {
    RunResult result = PipelineTester.of(spark, Path.of("pipelines/shout.json")).run();
    Dataset<Row> loud = result.captured().get("Loud");
    DataFrameAssertions.assertSchema(loud, "id BIGINT, title STRING");
    DataFrameAssertions.assertRows(loud, List.of(RowFactory.create(1L, "GREATGREAT"), RowFactory.create(2L, "MEHMEH")));
  }

  @Test
  void ddpRunWritesTheSink(@TempDir Path dir) throws Exception {
    int code = DdpCommand.commandLine().execute("run", "pipelines/shout.json", "--var", "out=" + dir.resolve("loud"));
    assertEquals(0, code);
    assertTrue(Files.list(dir.resolve("loud")).anyMatch(p -> p.toString().endsWith(".json")));
  }
}
