package io.ddp.io;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class DeclaredIOTest {
  @TempDir
  Path dir;

  private final DeclaredIO io = DeclaredIO.load(Thread.currentThread().getContextClassLoader());

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "orc", "json", "csv", "avro"})
  void roundTripsWithTheDeclaredSchema(String format, SparkSession spark) {
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (1L, 'a', 1.5D), (2L, 'b', NULL) AS t(id, name, score)");
    DataDeclare data = DataDeclare.builder("T").location(dir.resolve(format).toString()).format(format)
        .schema("id BIGINT, name STRING, score DOUBLE").option("header", "true").mode(WriteMode.OVERWRITE).build();
    io.write(rows, data);
    DataFrameAssertions.assertSameRows(io.read(spark, data), rows);
  }

  @Test
  void textIsOneStringColumnPerLine(SparkSession spark) {
    Dataset<Row> lines = spark.sql("SELECT * FROM VALUES ('first line'), ('second') AS t(value)");
    DataDeclare data = DataDeclare.builder("Lines").location(dir.resolve("text").toString()).format("text").build();
    io.write(lines, data);
    DataFrameAssertions.assertSameRows(io.read(spark, data), lines);
  }

  @Test
  void declaredSchemaIsTheReaderSchema(SparkSession spark) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("n.csv"), "id,amount\n1,007\n2,10\n");
    DataDeclare data = DataDeclare.builder("N").location(dir.resolve("n.csv").toString()).format("csv")
        .schema("id STRING, amount STRING").option("header", "true").build();
    Dataset<Row> read = io.read(spark, data);
    DataFrameAssertions.assertSchema(read, "id STRING, amount STRING");
    assertThat(read.filter("id = '1'").first().getString(1)).as("no inference: leading zeros kept").isEqualTo("007");
  }

  @Test
  void missingSourceNamesTheDataset(SparkSession spark) {
    DataDeclare data = DataDeclare.builder("Gone").location(dir.resolve("nope").toString()).format("parquet").build();
    assertThatThrownBy(() -> io.read(spark, data))
        .hasMessageContaining("Cannot read dataset 'Gone' from " + dir.resolve("nope"))
        .hasMessageContaining("PATH_NOT_FOUND");
  }

  @Test
  void hadoopUrisWorkLikePaths(SparkSession spark) {
    Dataset<Row> rows = spark.sql("SELECT 1L AS id");
    DataDeclare data = DataDeclare.builder("U").location(dir.resolve("uri").toUri().toString()).format("parquet")
        .schema("id BIGINT").build();
    assertThat(data.location()).startsWith("file:/");
    io.write(rows, data);
    DataFrameAssertions.assertSameRows(io.read(spark, data), rows);
  }
}
