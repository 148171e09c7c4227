package io.ddp.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ddp.spark.testing.PipeTester;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.testing.SparkSessionExtension;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class ScorePairsTest {
  static final String RULES = "{\"fields\": [{\"column\": \"name\", \"comparator\": \"jaroWinkler\", \"weight\": 2},"
      + " {\"column\": \"born\", \"comparator\": \"date\", \"scale\": 365}, {\"column\": \"phone\", \"comparator\": \"exact\"}],"
      + " \"threshold\": 0.9, \"keep\": \"all\"}";

  private static Map<String, Dataset<Row>> inputs(SparkSession spark) {
    Dataset<Row> records = spark.createDataFrame(List.of(
        RowFactory.create("a1", "martha jones", "1990-02-03", "2079460958"),
        RowFactory.create("b1", "marhta jones", "1990-02-03", null),
        RowFactory.create("b2", "martha jones", "1970-02-03", "2079460000"),
        RowFactory.create("b3", null, null, null)), StructType.fromDDL("id STRING, name STRING, born STRING, phone STRING"));
    Dataset<Row> pairs = spark.createDataFrame(List.of(RowFactory.create("a1", "b1"), RowFactory.create("a1", "b2"),
        RowFactory.create("a1", "b3")), StructType.fromDDL("left_id STRING, right_id STRING"));
    Map<String, Dataset<Row>> in = new LinkedHashMap<>();
    in.put("Pairs", pairs);
    in.put("People", records);
    return in;
  }

  @Test
  void weightedMeanOfComparableFields(SparkSession spark) {
    Dataset<Row> out = PipeTester.of(spark).run("ScorePairs", RULES, inputs(spark));
    DataFrameAssertions.assertSchema(out, "left_id STRING, right_id STRING, sim_name DOUBLE, sim_born DOUBLE, sim_phone DOUBLE,"
        + " score DOUBLE NOT NULL, match BOOLEAN NOT NULL");
    Map<String, Row> byPair = new HashMap<>();
    out.collectAsList().forEach(r -> byPair.put(r.getString(1), r));
    double jw = Comparators.jaroWinkler("martha jones", "marhta jones");
    // a1-b1: the phone is missing on one side, so it is left out: (2*jw + 1*1) / 3.
    assertThat(byPair.get("b1").getDouble(5)).isCloseTo((2 * jw + 1) / 3, within(1e-12));
    assertThat(byPair.get("b1").getBoolean(6)).isTrue();
    // a1-b2: same name, born 20 years apart (0), another phone (0): 2/4.
    assertThat(byPair.get("b2").getDouble(5)).isCloseTo(0.5, within(1e-12));
    assertThat(byPair.get("b2").getBoolean(6)).isFalse();
    // a1-b3: nothing comparable: 0.
    assertThat(byPair.get("b3").getDouble(5)).isEqualTo(0.0);
    assertThat(byPair.get("b3").isNullAt(2)).isTrue();
  }

  @Test
  void missingValuesCountAsZeroWhenAskedAndOnlyMatchesAreKeptByDefault(SparkSession spark) {
    String zero = RULES.replace("\"keep\": \"all\"", "\"nulls\": \"zero\"");
    Dataset<Row> out = PipeTester.of(spark).run("ScorePairs", zero, inputs(spark));
    assertThat(out.collectAsList()).isEmpty(); // a1-b1 drops to (2*jw + 1) / 4 < 0.9
    Dataset<Row> lenient = PipeTester.of(spark).run("ScorePairs", zero.replace("0.9", "0.7"), inputs(spark));
    assertThat(lenient.collectAsList()).extracting(r -> r.getString(1)).containsExactly("b1");
  }
}
