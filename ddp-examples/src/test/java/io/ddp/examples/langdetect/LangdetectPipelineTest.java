package io.ddp.examples.langdetect;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The corpus generator and pipelines/langdetect.json against the generator's truth (issue #9). */
@ExtendWith(SparkSessionExtension.class)
class LangdetectPipelineTest {
  @TempDir
  Path dir;

  static CorpusGenerator.Settings settings(long docs, long seed) {
    return new CorpusGenerator.Settings(docs, seed, 1000, 0.1, 0.05, CorpusGenerator.LANGUAGES);
  }

  @Test
  void theGeneratorIsDeterministicForASeedAndHoldsItsShares() throws Exception {
    new CorpusGenerator(settings(3000, 7)).write(dir.resolve("a"));
    new CorpusGenerator(settings(3000, 7)).write(dir.resolve("b"));
    new CorpusGenerator(settings(3000, 8)).write(dir.resolve("c"));
    assertThat(Files.readString(dir.resolve("a/docs.jsonl"))).isEqualTo(Files.readString(dir.resolve("b/docs.jsonl")));
    assertThat(Files.readString(dir.resolve("a/docs.jsonl"))).isNotEqualTo(Files.readString(dir.resolve("c/docs.jsonl")));
    List<String> labels = Files.readAllLines(dir.resolve("a/labels.csv")).subList(1, 3001);
    long exact = labels.stream().filter(l -> l.contains(",exact,")).count();
    long near = labels.stream().filter(l -> l.contains(",near,")).count();
    assertThat(exact / 3000.0).isBetween(0.08, 0.12);
    assertThat(near / 3000.0).isBetween(0.035, 0.065);
    double meanLength = new CorpusGenerator(settings(500, 1)).iteratorLengths();
    assertThat(meanLength).isBetween(850.0, 1200.0);
  }

  private static String group(Map<String, String[]> truth, String url) {
    String[] t = truth.get(url);
    return t[2].equals("original") ? url : t[3];
  }

  @Test
  void detectsLanguagesAndFindsDuplicatesAgainstTheTruth(SparkSession spark) throws Exception {
    Path corpus = dir.resolve("corpus");
    new CorpusGenerator(settings(800, 11)).write(corpus);
    Map<String, String[]> truth = new HashMap<>();
    for (String line : Files.readAllLines(corpus.resolve("labels.csv")).subList(1, 801)) {
      String[] f = line.split(",", -1);
      truth.put(f[0], f);
    }
    RunResult result = PipelineTester.of(spark, Path.of("..", "pipelines", "langdetect.json"))
        .var("corpus", corpus.toString()).var("out", dir.resolve("out").toString()).run();

    List<Row> detected = result.captured().get("Detected").select("url", "lang").collectAsList();
    long right = detected.stream().filter(r -> truth.get(r.getString(0))[1].equals(r.getString(1))).count();
    assertThat((double) right / detected.size()).as("language accuracy").isGreaterThan(0.97);

    // Which copy of an identical pair is "the duplicate" is arbitrary (the smaller url is kept), so
    // a flagged document is right when it and the document it duplicates share an original.
    List<Row> marked = result.captured().get("Marked").select("url", "exact_duplicate_of", "near_duplicate_of").collectAsList();
    long flagged = 0;
    long flaggedRight = 0;
    long copies = truth.values().stream().filter(t -> !t[2].equals("original")).count();
    for (Row r : marked) {
      String of = !r.isNullAt(1) ? r.getString(1) : !r.isNullAt(2) ? r.getString(2) : null;
      if (of != null) {
        flagged++;
        flaggedRight += group(truth, r.getString(0)).equals(group(truth, of)) ? 1 : 0;
      }
    }
    assertThat((double) flaggedRight / flagged).as("duplicate precision").isGreaterThan(0.95);
    assertThat((double) flaggedRight / copies).as("duplicate recall").isGreaterThan(0.9);
    assertThat(result.metric("documents")).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo(800));
    assertThat(result.metric("documentsPerLanguage")).hasSizeGreaterThanOrEqualTo(16);
  }
}
