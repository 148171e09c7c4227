package io.ddp.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.spark.testing.PipeTester;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class BlockTest {
  private static Dataset<Row> people(SparkSession spark) {
    return spark.createDataFrame(List.of(
        RowFactory.create(1, "a", "robert", "smith", "1990", "10115"),
        RowFactory.create(2, "b", "robert", "smyth", "1990", "10115"),
        RowFactory.create(3, "b", "roberta", "smithe", "1991", "20095"),
        RowFactory.create(4, "a", "anna", "jones", "1985", "10115"),
        RowFactory.create(5, "b", "ana", "jonas", "1985", null),
        RowFactory.create(6, "a", "zed", "xu", null, "80331")),
        StructType.fromDDL("id INT, src STRING, first STRING, last STRING, year STRING, zip STRING"));
  }

  private static Set<String> pairs(Dataset<Row> out) {
    Set<String> s = new TreeSet<>();
    for (Row r : out.collectAsList()) {
      assertThat(r.getInt(0)).as("left_id < right_id").isLessThan(r.getInt(1));
      s.add(r.getInt(0) + "-" + r.getInt(1) + " " + r.getList(2));
    }
    return s;
  }

  private static Dataset<Row> block(SparkSession spark, String params) {
    return PipeTester.of(spark).run("Block", params, people(spark));
  }

  @Test
  void exactAndPhoneticKeys(SparkSession spark) {
    Dataset<Row> out = block(spark, "{\"strategies\": [{\"type\": \"exact\", \"columns\": [\"zip\"]},"
        + " {\"type\": \"soundex\", \"column\": \"last\", \"columns\": [\"year\"]}]}");
    DataFrameAssertions.assertSchema(out, "left_id INT NOT NULL, right_id INT NOT NULL, blocked_by ARRAY<STRING> NOT NULL");
    assertThat(pairs(out)).containsExactly(
        "1-2 [exact(zip), soundex(last,year)]", // smith/smyth: S530, same year and zip
        "1-4 [exact(zip)]", "2-4 [exact(zip)]",
        "4-5 [soundex(last,year)]"); // jones/jonas: J520, 1985
  }

  @Test
  void doubleMetaphoneAcrossSourcesOnly(SparkSession spark) {
    Dataset<Row> out = block(spark, "{\"source\": \"src\", \"acrossSourcesOnly\": true,"
        + " \"strategies\": [{\"type\": \"doubleMetaphone\", \"column\": \"last\"}]}");
    // smith, smyth, smithe: SM0; jones, jonas: JNS; 1 (a) with 2 and 3 (b); 4 (a) with 5 (b); never a with a or b with b.
    assertThat(pairs(out)).containsExactly("1-2 [doubleMetaphone(last)]", "1-3 [doubleMetaphone(last)]", "4-5 [doubleMetaphone(last)]");
  }

  @Test
  void sortedNeighbourhoodPairsNeighboursInTheOrder(SparkSession spark) {
    Dataset<Row> out = block(spark, "{\"strategies\": [{\"type\": \"sortedNeighbourhood\", \"columns\": [\"last\"], \"window\": 2,"
        + " \"name\": \"sn\"}]}");
    // jonas(5) jones(4) smith(1) smithe(3) smyth(2) xu(6): each with the next one, also across sorted ranges.
    assertThat(pairs(out)).containsExactly("1-3 [sn]", "1-4 [sn]", "2-3 [sn]", "2-6 [sn]", "4-5 [sn]");
    Dataset<Row> wider = block(spark, "{\"strategies\": [{\"type\": \"sortedNeighbourhood\", \"columns\": [\"last\"], \"window\": 3,"
        + " \"name\": \"sn\"}]}");
    assertThat(pairs(wider)).containsExactly("1-2 [sn]", "1-3 [sn]", "1-4 [sn]", "1-5 [sn]", "2-3 [sn]", "2-6 [sn]", "3-4 [sn]", "3-6 [sn]",
        "4-5 [sn]");
  }

  @Test
  void minhashFindsSimilarNamesAndGiantBlocksAreCapped(SparkSession spark) {
    Dataset<Row> out = block(spark, "{\"strategies\": [{\"type\": \"minhash\", \"column\": \"first\", \"shingle\": 2, \"bands\": 20,"
        + " \"rows\": 1, \"name\": \"mh\"}]}");
    Set<String> got = pairs(out);
    assertThat(got).contains("1-2 [mh]", "1-3 [mh]", "2-3 [mh]", "4-5 [mh]"); // robert/roberta, anna/ana
    assertThat(got).noneMatch(p -> p.contains("6")); // zed shares nothing
    // With columns, a key also needs the same year: roberta (1991) leaves robert's blocks.
    Dataset<Row> sameYear = block(spark, "{\"strategies\": [{\"type\": \"minhash\", \"column\": \"first\", \"columns\": [\"year\"],"
        + " \"shingle\": 2, \"bands\": 20, \"rows\": 1, \"name\": \"mh\"}]}");
    assertThat(pairs(sameYear)).containsExactly("1-2 [mh]", "4-5 [mh]");

    // 300 records with one key: 44,850 pairs in full; capped to a window of 3: 2 per record.
    List<Row> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(RowFactory.create(i, "same"));
    }
    Dataset<Row> big = spark.createDataFrame(many, StructType.fromDDL("id INT, k STRING"));
    Dataset<Row> capped = PipeTester.of(spark).run("Block", "{\"maxBlockSize\": 50, \"strategies\": [{\"type\": \"exact\","
        + " \"columns\": [\"k\"], \"window\": 3}]}", big);
    assertThat(capped.count()).isEqualTo(299 + 298);
  }

  @Test
  void hyperplaneKeysBringCloseVectorsTogether(SparkSession spark) {
    Dataset<Row> vectors = spark.createDataFrame(List.of(
        RowFactory.create(1, new double[] {1.0, 0.9, 0.1}), RowFactory.create(2, new double[] {1.0, 0.92, 0.12}),
        RowFactory.create(3, new double[] {-1.0, 0.2, -0.9})), StructType.fromDDL("id INT, v ARRAY<DOUBLE>"));
    Dataset<Row> out = PipeTester.of(spark).run("Block", "{\"strategies\": [{\"type\": \"hyperplane\", \"column\": \"v\", \"bands\": 4,"
        + " \"rows\": 4, \"name\": \"hp\"}]}", vectors);
    assertThat(pairs(out)).containsExactly("1-2 [hp]");
  }

  @Test
  void paramsAreCheckedWithClearMessages() {
    assertThatThrownBy(() -> new Block.Params(null, null, null, List.of(), null, null)).hasMessageContaining("at least one blocking strategy");
    assertThatThrownBy(() -> new Block.Params(null, null, null,
        List.of(new Block.Strategy("fuzzy", "x", null, null, null, null, null, null)), null, null))
        .hasMessageContaining("unknown blocking strategy type 'fuzzy'");
    assertThatThrownBy(() -> new Block.Params(null, null, true,
        List.of(new Block.Strategy("exact", null, List.of("zip"), null, null, null, null, null)), null, null))
        .hasMessageContaining("acrossSourcesOnly needs \"source\"");
    assertThatThrownBy(() -> new Block.Params(null, null, null,
        List.of(new Block.Strategy("soundex", null, null, null, null, null, null, null)), null, null))
        .hasMessageContaining("'soundex' needs \"column\"");
  }
}
