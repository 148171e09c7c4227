package io.ddp.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.pipe.NoParams;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.testing.PipeTester;
import io.ddp.spark.testing.PipelineTester;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkSessionExtension.class)
class WordCountTest {
  @Test
  void splitWordsLowerCasesAndKeepsApostrophesAndLettersOfAnyScript(SparkSession spark) {
    Dataset<Row> lines = spark.sql("SELECT * FROM VALUES ('The dog''s BOWL, the bowl!'), ('Ça va — déjà vu'), (''), (NULL) AS t(value)");
    List<String> words = PipeTester.of(spark).run(new SplitWords(), new SplitWords.Params(null), Map.of("Lines", lines))
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    assertThat(words).containsExactly("the", "dog's", "bowl", "the", "bowl", "ça", "va", "déjà", "vu");
  }

  @Test
  void countWordsOrdersByCountThenWord(SparkSession spark) {
    Dataset<Row> words = spark.sql("SELECT * FROM VALUES ('b'), ('a'), ('c'), ('a'), ('b') AS t(word)");
    List<String> counts = PipeTester.of(spark).run(new CountWords(), new NoParams(), Map.of("Words", words))
        .collectAsList().stream().map(r -> r.getString(0) + "=" + r.getLong(1)).toList();
    assertThat(counts).containsExactly("a=2", "b=2", "c=1");
  }

  @Test
  void thePipelineCountsTheFiveLines(SparkSession spark) {
    RunResult result = PipelineTester.of(spark, Path.of("..", "pipelines", "wordcount.json")).run();
    List<Row> counts = result.captured().get("WordCounts").collectAsList();
    assertThat(counts).hasSize(30);
    assertThat(counts.get(0).getString(0)).isEqualTo("the");
    assertThat(counts.get(0).getLong(1)).isEqualTo(10);
  }
}
