package io.ddp.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.examples.bench.baseline.HandWrittenLangdetect;
import io.ddp.examples.langdetect.DetectLanguage;
import io.ddp.examples.langdetect.LangidCorpus;
import io.ddp.examples.langdetect.LanguageCodes;
import io.ddp.testing.SparkSessionExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's baseline is independent of DDP, and does the same work: the same documents out. */
@ExtendWith(SparkSessionExtension.class)
class HandWrittenLangdetectTest {
  @Test
  void theBaselineUsesNoDdpCode() throws Exception {
    Path dir = Path.of("src/main/java/io/ddp/examples/bench/baseline");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
      assertThat(sources).isNotEmpty();
      for (Path f : sources) {
        List<String> refs = Files.readAllLines(f).stream().filter(l -> !l.startsWith("package "))
            .filter(l -> l.contains("io.ddp.")).toList();
        assertThat(refs).as(f + " refers to DDP").isEmpty();
      }
    }
  }

  @Test
  void itKeepsAndLabelsTheSameDocumentsAsTheDdpPipeline(SparkSession spark, @TempDir Path dir) throws Exception {
    Path corpus = dir.resolve("corpus");
    new LangidCorpus(new LangidCorpus.Settings(3000, 9, 600, 0.08, 0.04, LangidCorpus.Half.HELD_OUT)).write(corpus);
    Map<String, String> ddp = LangdetectBenchmark.ddp(spark, Path.of("../pipelines/langdetect.json"), corpus, dir.resolve("ddp"));
    new HandWrittenLangdetect(DetectLanguage.measuredThresholds(), DetectLanguage.defaultThreshold(), LanguageCodes.OPENNLP)
        .run(spark, corpus.resolve("docs.jsonl").toString(), dir.resolve("hand").toString());
    Map<String, String> hand = LangdetectBenchmark.kept(spark, dir.resolve("hand"));
    assertThat(ddp.size()).isBetween(2500, 2750);
    assertThat(hand).isEqualTo(ddp);
    double[] q = LangdetectBenchmark.quality(ddp, LangdetectBenchmark.truth(corpus));
    assertThat(q[1]).as("duplicate precision").isGreaterThan(0.99);
    // Pages here are short (mean 600 characters): a near copy with three words edited can fall below 0.8;
    // the benchmark measures recall on pages of the 1,020 characters.
    assertThat(q[2]).as("duplicate recall").isGreaterThan(0.93);
  }
}
