package io.ddp.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ddp.core.PipelineLoader;
import io.ddp.core.json.PipelineReader;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.validate.InvalidPipelineException;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the whole static path a pipeline file takes before Spark starts: JSON reading with
 * positions, variables, strict reading, validation with every check on the class path (the Spark
 * checks: formats, schemas, SQL, S3 options, encryption), and planning. Whatever the text, the
 * outcome is a plan or a list of located problems; any other exception is a defect.
 *
 * <p>{@code mvn test} runs the seeds below and every input kept under
 * {@code src/test/resources/io/ddp/spark/StaticPathFuzzTestInputs/} (inputs that once crashed, kept
 * as regression cases). Coverage-guided fuzzing: {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m
 * mvn -pl ddp-spark test -Dtest=StaticPathFuzzTest} (CI runs it for 2 minutes).
 */
class StaticPathFuzzTest {
  private static final ClassLoader LOADER = StaticPathFuzzTest.class.getClassLoader();
  private static final Validator VALIDATOR = Validator.withChecksFrom(SparkPipe.types(LOADER), LOADER);

  static Stream<Arguments> seeds() {
    List<String> seeds = new ArrayList<>();
    for (Path p : List.of(Path.of("../pipelines/quickstart.json"), Path.of("../pipelines/langdetect.json"),
        Path.of("../pipelines/similarity.json"), Path.of("src/test/resources/pipelines/people.json"))) {
      try {
        seeds.add(Files.readString(p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    seeds.add("{\"data\": [{\"dataId\": \"In\", \"location\": \"s3a://bucket/a&b/{x}|y\", \"format\": \"parquet\","
        + " \"options\": {\"s3.endpoint\": \"http://127.0.0.1:1\"}}, {\"dataId\": \"Out\", \"location\": \"jdbc:h2:/tmp/x;PASSWORD=p\","
        + " \"format\": \"jdbc\", \"options\": {\"dbtable\": \"t\"}}], \"transformers\": [{\"inputDataId\": [\"In\"],"
        + " \"transformerType\": \"sql\", \"outputDataId\": \"Out\", \"params\": {\"query\": \"WITH a AS (SELECT 1) SELECT * FROM a\"}}],"
        + " \"metricsConfig\": {\"intervalSeconds\": \"99999999999999999999\"}}");
    seeds.add("{\"variables\": {\"a\": \"${b}\", \"b\": \"${env:HOME:-x}/${a}\"}, \"data\": [{\"dataId\": \"D\", \"location\": \"${a}\","
        + " \"schema\": \"id BIGINT NOT NULL, m MAP<STRING, ARRAY<STRUCT<x: INT>>>\", \"encryption\": {\"mode\": \"record\","
        + " \"keyService\": \"k\", \"columns\": [\"m\"], \"keyIdColumn\": \"id\"}}], \"transformers\": [],"
        + " \"metrics\": [{\"metricId\": \"n\", \"dataId\": \"D\", \"expression\": \"count(\", \"groupBy\": [\"id\"]}]}");
    seeds.add("{\"data\": [{\"dataId\": \"A\", \"location\": \"a.csv\"}, {\"dataId\": \"B\", \"location\": \"a.csv/x\", \"format\":"
        + " \"orc\", \"mode\": \"append\", \"partitionBy\": [\"id\", \"id\"]}], \"transformers\": [{\"inputDataId\": [\"A\", \"B\"],"
        + " \"transformerType\": \"io.ddp.NoSuchPipe\", \"outputDataId\": \"B\", \"params\": [1e999]}]}");
    seeds.add("{\"data\": [], \"transformers\": [], \"spark\": {\"spark.sql.shuffle.partitions\": 0}} trailing");
    return seeds.stream().map(Arguments::of);
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "30s")
  void aPipelineTextGivesAPlanOrLocatedProblems(String json) {
    if (json == null) {
      return;
    }
    PipelineReader.Result read = PipelineReader.read(json, "fuzz.json", "fuzz", Map.of("out", "/tmp/ddp-fuzz-out"), name -> null);
    PipelineLoader.Loaded loaded = PipelineLoader.validate(read, VALIDATOR);
    for (Problem p : loaded.problems()) {
      assertThat(p.format(read.sources())).startsWith("fuzz.json");
    }
    if (loaded.hasErrors()) {
      assertThatThrownBy(loaded::plan).isInstanceOf(InvalidPipelineException.class);
    } else {
      ExecutionPlan plan = loaded.plan();
      assertThat(plan.order()).hasSize(loaded.pipeline().transformers().size());
    }
  }
}
