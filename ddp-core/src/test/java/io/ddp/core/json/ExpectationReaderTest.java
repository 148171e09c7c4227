package io.ddp.core.json;

import static io.ddp.core.json.PipelineReaderTest.messages;
import static io.ddp.core.json.PipelineReaderTest.onlyDataset;
import static io.ddp.core.json.PipelineReaderTest.read;
import static io.ddp.core.json.PipelineReaderTest.withDataset;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.ExpectationDeclare.Action;
import io.ddp.core.model.ExpectationDeclare.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationReaderTest {
  private static final String SOURCE = "\"dataId\": \"D\", \"location\": \"d.parquet\", \"expectations\": ";

  @Test
  void readsEveryKindWithDefaultsAndConditions() {
    PipelineReader.Result r = read(withDataset("{" + SOURCE + "[{\"name\": \"hasText\", \"expect\": \"length(text) > 0\","
        + " \"onViolation\": \"DROP\"}, {\"notNull\": \"id\"}, {\"unique\": [\"a\", \"b\"], \"onViolation\": \"fail\"},"
        + " {\"primaryKey\": [\"order\"]}, {\"column\": \"addr.city\", \"acceptedValues\": [\"O'Hara\", 7, true],"
        + " \"onViolation\": \"quarantine\"}, {\"rowCount\": {\"min\": \"10\", \"max\": 20}}]}"));
    assertThat(r.problems()).isEmpty();
    List<ExpectationDeclare> e = onlyDataset(r).expectations();
    assertThat(e).extracting(ExpectationDeclare::name).containsExactly("hasText", "notNull_id", "unique_a_b", "primaryKey_order",
        "acceptedValues_addr_city", "rowCount");
    assertThat(e).extracting(ExpectationDeclare::onViolation).containsExactly(Action.DROP, Action.WARN, Action.FAIL, Action.WARN,
        Action.QUARANTINE, Action.WARN);
    assertThat(e.get(0).condition()).isEqualTo("length(text) > 0");
    assertThat(e.get(1).condition()).isEqualTo("`id` IS NOT NULL");
    assertThat(e.get(2).condition()).isEqualTo("(`a` IS NULL OR `b` IS NULL OR count(1) OVER (PARTITION BY `a`, `b`) = 1)");
    assertThat(e.get(3).condition()).isEqualTo("`order` IS NOT NULL AND count(1) OVER (PARTITION BY `order`) = 1");
    assertThat(e.get(4).values()).containsExactly("O'Hara", BigInteger.valueOf(7), true);
    assertThat(e.get(4).condition()).isEqualTo("`addr`.`city` IS NULL OR `addr`.`city` IN ('O\\'Hara', 7, true)");
    assertThat(e.get(4).describe()).isEqualTo("addr.city in [O'Hara, 7, true]");
    assertThat(e.get(5).kind()).isEqualTo(Kind.ROW_COUNT);
    assertThat(e.get(5).min()).isEqualTo(10L);
    assertThat(e.get(5).max()).isEqualTo(20L);
    assertThat(e.get(5).rowCountMet(10)).isTrue();
    assertThat(e.get(5).rowCountMet(21)).isFalse();
    assertThat(e.get(5).rowLevel()).isFalse();
  }

  @Test
  void malformedExpectationsAreAllReported() {
    PipelineReader.Result r = read(withDataset("{" + SOURCE + "[{\"expect\": \"x > 0\"}, {\"notNull\": [\"a\"], \"unique\": [\"a\"]},"
        + " {\"onViolation\": \"warn\"}, {\"notNul\": [\"a\"]}, {\"column\": \"a\", \"notNull\": [\"a\"]},"
        + " {\"acceptedValues\": [\"x\"]}, {\"column\": \"a\", \"acceptedValues\": [{\"x\": 1}]},"
        + " {\"rowCount\": {\"min\": -1, \"most\": 3}}, {\"notNull\": [\"a\"], \"onViolation\": \"ignore\"}]}"));
    assertThat(messages(r)).contains(
        "an \"expect\" expectation needs a \"name\" (it names the violations in the report, the metrics and the quarantine),"
            + " e.g. \"name\": \"hasText\"",
        "the expectation states 2 conditions (notNull, unique); give exactly one of expect, notNull, unique, primaryKey,"
            + " acceptedValues, rowCount, e.g. {\"name\": \"hasText\", \"expect\": \"length(text) > 0\"}",
        "\"column\" belongs to acceptedValues; notNull names its columns itself, e.g. {\"notNull\": [\"id\"]}",
        "acceptedValues needs the \"column\" it checks, e.g. {\"column\": \"lang\", \"acceptedValues\": [\"en\", \"de\"]}",
        "rowCount min must be a whole number of rows, not the number -1");
    assertThat(String.join("\n", messages(r)))
        .contains("unknown key \"notNul\" in an expectation")
        .contains("acceptedValues[0] must be a string, number or boolean")
        .contains("unknown key \"most\" in \"rowCount\"")
        .contains("invalid onViolation \"ignore\"");
    assertThat(onlyDataset(r).expectations()).as("none is kept once the first is malformed").isEmpty();
  }

  @Test
  void theJsonSchemaKnowsEveryKeyTheReaderReads() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(getClass().getResourceAsStream("/io/ddp/core/json/pipeline.schema.json"));
    List<String> dataset = new ArrayList<>();
    schema.path("$defs").path("dataset").path("properties").fieldNames().forEachRemaining(dataset::add);
    assertThat(dataset).containsExactlyInAnyOrderElementsOf(DataReader.KEYS);
    List<String> expectation = new ArrayList<>();
    schema.path("$defs").path("expectation").path("properties").fieldNames().forEachRemaining(expectation::add);
    assertThat(expectation).containsExactlyInAnyOrderElementsOf(ExpectationReader.KEYS);
  }
}
