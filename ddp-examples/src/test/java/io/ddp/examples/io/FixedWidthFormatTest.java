package io.ddp.examples.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The custom format from docs/io.md, found through ServiceLoader and used by a pipeline. */
@ExtendWith(SparkSessionExtension.class)
class FixedWidthFormatTest {
  @TempDir
  Path dir;

  @Test
  void readsAndWritesFixedWidthFilesInAPipeline(SparkSession spark) throws Exception {
    Files.writeString(dir.resolve("people.txt"), "1    ada       london\n2    grace     new york\n");
    Path p = dir.resolve("fw.json");
    Files.writeString(p, "{\"data\": [\n"
        + "{\"dataId\": \"People\", \"location\": \"" + dir.resolve("people.txt") + "\", \"format\": \"fixedwidth\","
        + " \"schema\": \"id INT, name STRING, city STRING\", \"options\": {\"widths\": \"5,10,10\"}},\n"
        + "{\"dataId\": \"Upper\", \"location\": \"" + dir.resolve("upper") + "\", \"format\": \"fixedwidth\","
        + " \"schema\": \"id INT, name STRING\", \"options\": {\"widths\": \"3,8\"}}],\n"
        + "\"transformers\": [{\"inputDataId\": [\"People\"], \"transformerType\": \"sql\", \"outputDataId\": \"Upper\","
        + " \"params\": {\"query\": \"SELECT id, upper(name) AS name FROM People\"}}]}");
    PipelineTester.of(spark, p).writeSinks(true).run();
    List<String> lines = spark.read().text(dir.resolve("upper").toString()).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(lines).containsExactlyInAnyOrder("1  ADA     ", "2  GRACE   ");

    Path back = dir.resolve("back.json");
    Files.writeString(back, "{\"data\": [{\"dataId\": \"U\", \"location\": \"" + dir.resolve("upper") + "\", \"format\": \"fixedwidth\","
        + " \"schema\": \"id INT, name STRING\", \"options\": {\"widths\": \"3,8\"}}, {\"dataId\": \"V\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"U\"], \"transformerType\": \"sql\", \"outputDataId\": \"V\", \"params\": {\"query\": \"SELECT * FROM U\"}}]}");
    DataFrameAssertions.assertRows(PipelineTester.of(spark, back).run().captured().get("V"),
        List.of(RowFactory.create(1, "ADA"), RowFactory.create(2, "GRACE")));
  }

  @Test
  void itsOwnChecksRunWithValidation(SparkSession spark) throws Exception {
    Path p = dir.resolve("bad.json");
    Files.writeString(p, "{\"data\": [{\"dataId\": \"P\", \"location\": \"p.txt\", \"format\": \"fixedwidth\", \"schema\": \"id INT, name STRING\","
        + " \"options\": {\"widths\": \"5\"}}, {\"dataId\": \"Q\"}],"
        + " \"transformers\": [{\"inputDataId\": [\"P\"], \"transformerType\": \"sql\", \"outputDataId\": \"Q\", \"params\": {\"query\": \"SELECT * FROM P\"}}]}");
    assertThatThrownBy(() -> PipelineTester.of(spark, p).run())
        .hasMessageContaining("dataset 'P': \"widths\" gives 1 widths for 2 columns in the schema");
  }
}
