package io.ddp.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.model.DataDeclare;
import io.ddp.testing.SharedSpark;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema of existing parquet, orc and avro data, read from metadata alone, is the one Spark reads
 * the data with: every type, nested ones, and partition columns typed from the directory names.
 */
@ExtendWith(SparkSessionExtension.class)
class StoredSchemasTest {
  private final DeclaredIO io = DeclaredIO.load(Thread.currentThread().getContextClassLoader());

  @TempDir
  Path dir;

  private static Dataset<Row> everyType(SparkSession spark) {
    return spark.sql("SELECT CAST(id AS INT) AS i, id AS l, CAST(id AS DOUBLE) / 3 AS d, CAST(id AS FLOAT) AS f,"
        + " CAST(id AS DECIMAL(10, 2)) AS dec, CAST(id AS STRING) AS s, id % 2 = 0 AS b, DATE'2024-03-01' + CAST(id AS INT) AS day,"
        + " TIMESTAMP'2024-03-01 10:00:00' AS ts, array('a', CAST(id AS STRING)) AS arr, named_struct('x', id, 'y', 'z') AS st,"
        + " map('k', CAST(id AS INT)) AS m, CAST(CAST(id AS STRING) AS BINARY) AS bin, CAST(id AS SMALLINT) AS sh, CAST(id AS TINYINT) AS tiny"
        + " FROM range(3)");
  }

  private Optional<StructType> stored(SparkSession spark, String format, Path location) throws Exception {
    DataDeclare data = DataDeclare.builder("Stored").location(location.toString()).format(format).build();
    @SuppressWarnings("unchecked")
    Optional<StructType>[] out = new Optional[1];
    int jobs = SharedSpark.jobsStartedBy(spark, () -> out[0] = io.storedSchema(spark, data));
    assertThat(jobs).as("footers are read without a Spark job").isZero();
    return out[0];
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "orc", "avro"})
  void theFooterSchemaIsTheSchemaSparkReads(String format, SparkSession spark) throws Exception {
    Path location = dir.resolve(format);
    everyType(spark).write().format(format).save(location.toString());
    StructType read = spark.read().format(format).load(location.toString()).schema();
    assertThat(stored(spark, format, location)).hasValueSatisfying(s -> assertThat(s.toDDL()).isEqualTo(read.toDDL()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "orc", "avro"})
  void partitionColumnsAreTypedAsSparkInfersThem(String format, SparkSession spark) throws Exception {
    Path location = dir.resolve(format + "-parts");
    spark.sql("SELECT id, CAST(id AS STRING) AS s, DATE'2024-03-01' + CAST(id % 2 AS INT) AS day, id % 3 AS n,"
        + " CASE WHEN id = 1 THEN NULL ELSE concat('v', id) END AS tag, id / 2 AS half FROM range(6)")
        .write().format(format).partitionBy("day", "n", "tag", "half").save(location.toString());
    StructType read = spark.read().format(format).load(location.toString()).schema();
    assertThat(read.toDDL()).as("Spark's own inference").isEqualTo("id BIGINT,s STRING,day DATE,n INT,tag STRING,half DOUBLE");
    assertThat(stored(spark, format, location)).hasValueSatisfying(s -> assertThat(s.toDDL()).isEqualTo(read.toDDL()));
  }

  @Test
  void layoutsSparkWouldHaveToGuessSayNothing(SparkSession spark) throws Exception {
    Path mixed = dir.resolve("mixed");
    spark.range(2).write().parquet(mixed.resolve("a=1").toString());
    spark.range(2).write().parquet(mixed.resolve("b=1").toString());
    assertThat(stored(spark, "parquet", mixed)).isEmpty();
    Path nested = dir.resolve("nested");
    spark.range(2).write().parquet(nested.resolve("plain").toString());
    assertThat(stored(spark, "parquet", nested)).isEmpty();
    assertThat(stored(spark, "parquet", dir.resolve("missing"))).isEmpty();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(stored(spark, "orc", empty)).isEmpty();
  }
}
