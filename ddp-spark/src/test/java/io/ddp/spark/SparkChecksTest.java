package io.ddp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.json.PipelineReader;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Validator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SparkChecksTest {
  private static List<String> check(String json) {
    PipelineReader.Result read = PipelineReader.read(json, "t.json", "t", Map.of(), n -> null);
    assertThat(read.problems()).filteredOn(Problem::isError).isEmpty();
    // As ddp validate does: the pipes' own checks (the sql pipe's query), then SparkChecks.
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return Validator.withChecksFrom(SparkPipe.types(loader), loader).validate(read.pipeline()).stream()
        .filter(Problem::isError).map(p -> p.format(read.sources())).collect(Collectors.toList());
  }

  @Test
  void acceptsAValidDeclaration() {
    assertThat(check("{\"data\": [{\"dataId\": \"A\", \"location\": \"a.orc\", \"schema\": \"id BIGINT, tags ARRAY<STRING>, m MAP<STRING, INT>\","
        + " \"partitionBy\": [\"id\"]}, {\"dataId\": \"B\", \"location\": \"b\", \"format\": \"parquet\"}],"
        + "\"transformers\": [{\"inputDataId\": \"A\", \"transformerType\": \"sql\", \"outputDataId\": \"B\","
        + " \"params\": {\"query\": \"SELECT id FROM A WHERE size(tags) > 1\"}}],"
        + "\"metrics\": [{\"metricId\": \"n\", \"dataId\": \"A\", \"expression\": \"approx_count_distinct(id)\", \"groupBy\": [\"id\"]}]}"))
        .isEmpty();
  }

  @Test
  void reportsEverySparkLevelProblemWithItsPosition() {
    List<String> problems = check("{\n"
        + "\"data\": [\n"
        + "  {\"dataId\": \"A\", \"location\": \"a\", \"format\": \"parket\", \"schema\": \"id BIGINT,\"},\n"
        + "  {\"dataId\": \"B\", \"location\": \"b\", \"format\": \"csv\", \"schema\": \"id BIGINT, city STRING\", \"partitionBy\": [\"cty\"]}\n"
        + "],\n"
        + "\"transformers\": [{\"inputDataId\": \"A\", \"transformerType\": \"sql\", \"outputDataId\": \"B\",\n"
        + "   \"params\": {\"query\": \"SELEC id FROM A\"}}],\n"
        + "\"metrics\": [{\"metricId\": \"m\", \"dataId\": \"B\", \"expression\": \"count(\", \"groupBy\": [\"town\"]}]}");
    assertThat(problems).hasSize(6);
    assertThat(problems.get(0)).startsWith("t.json:7:15: error: pipe #1 sql -> B: the SQL query does not parse");
    assertThat(problems.get(2)).startsWith("t.json:3:56: error: dataset 'A': schema \"id BIGINT,\" is not valid Spark DDL");
    assertThat(problems.get(1)).startsWith("t.json:3:36: error: dataset 'A': unknown format 'parket' (did you mean 'parquet'?)");
    assertThat(problems.get(3)).isEqualTo("t.json:4:89: error: dataset 'B': partition column 'cty' is not in the declared schema"
        + " (did you mean 'city'?); columns: [id, city]");
    assertThat(problems.get(4)).startsWith("t.json:8:46: error: metric 'm': expression \"count(\" does not parse");
    assertThat(problems.get(5)).startsWith("t.json:8:70: error: metric 'm': groupBy column 'town' is not in the schema of 'B'");
  }

  @Test
  void persistMustBeAutoNoneOrAStorageLevel() {
    assertThat(check("{\"data\": [{\"dataId\": \"A\", \"location\": \"a.csv\", \"persist\": \"disk_only\"},"
        + " {\"dataId\": \"B\", \"location\": \"b.csv\", \"persist\": \"none\"}], \"transformers\": []}")).isEmpty();
    assertThat(check("{\"data\": [{\"dataId\": \"A\", \"location\": \"a.csv\", \"persist\": \"MEMORY_AND_DSK\"}], \"transformers\": []}"))
        .singleElement().asString().startsWith("t.json:1:48: error: dataset 'A': invalid persist \"MEMORY_AND_DSK\" (did you mean one of 'MEMORY_AND_DISK',");
  }

  @Test
  void aSqlStatementThatWritesIsAValidationErrorNamingThePipe() {
    List<String> problems = check("{\"data\": [{\"dataId\": \"A\", \"location\": \"a\", \"format\": \"parquet\"},"
        + " {\"dataId\": \"B\", \"location\": \"b\", \"format\": \"parquet\"}],"
        + " \"transformers\": [{\"inputDataId\": \"A\", \"transformerType\": \"sql\", \"outputDataId\": \"B\","
        + " \"params\": {\"query\": \"WITH x AS (SELECT * FROM A) INSERT OVERWRITE TABLE t SELECT * FROM x\"}}]}");
    assertThat(problems).singleElement().asString().contains("error: pipe #1 sql -> B: the SQL is a")
        .contains("not a query: a sql pipe only reads");
  }
}
