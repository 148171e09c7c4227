package io.ddp.examples.langdetect;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.pipe.NoParams;
import io.ddp.testing.DataFrameAssertions;
import io.ddp.spark.testing.PipeTester;
import io.ddp.testing.SparkSessionExtension;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each langdetect pipe on small inputs with exact expectations. */
@ExtendWith(SparkSessionExtension.class)
class LangdetectPipesTest {
  @Test
  void normalizeAppliesNfcDropsBoilerplateAndCollapsesSpace() {
    String decomposed = "Cafe\u0301  au\tlait";
    assertThat(NormalizeText.normalize("Home | News | About\n" + decomposed + "\n\nSecond   line.\n© 2026 · Privacy"))
        .isEqualTo("Café au lait Second line.");
    assertThat(NormalizeText.normalize(null)).isEmpty();
    assertThat(NormalizeText.normalize("A long paragraph that happens to mention copyright law in the middle of a sentence, and keeps going for a while."))
        .as("long lines are content, not boilerplate").startsWith("A long paragraph");
  }

  @Test
  void exactDedupMarksAllButTheSmallestUrlOfEachText(SparkSession spark) {
    Dataset<Row> docs = spark.sql("SELECT * FROM VALUES ('u3', 'same text'), ('u1', 'same text'), ('u2', 'other'), ('u4', 'same text')"
        + " AS t(url, clean)");
    Dataset<Row> out = PipeTester.of(spark).run(new ExactDedup(), new NoParams(), Map.of("Normalized", docs))
        .select("url", "exact_duplicate_of");
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create("u1", null), RowFactory.create("u2", null),
        RowFactory.create("u3", "u1"), RowFactory.create("u4", "u1")));
  }

  @Test
  void nearDedupMarksSmallEditsButNotDifferentTexts(SparkSession spark) {
    String base = "The quick brown fox jumps over the lazy dog while the farmer watches from the old wooden fence near the river bank.";
    Dataset<Row> docs = spark.createDataFrame(List.of(
        RowFactory.create("a", base, null),
        RowFactory.create("b", base.replace("old ", ""), null),
        RowFactory.create("c", "Completely different words about stock markets, interest rates and the price of bread in winter.", null),
        RowFactory.create("d", base, "a")),
        new org.apache.spark.sql.types.StructType().add("url", "string").add("clean", "string").add("exact_duplicate_of", "string"));
    Dataset<Row> out = PipeTester.of(spark).run(new NearDedup(), new NearDedup.Params(0.8, 5, 64, 16), Map.of("ExactMarked", docs))
        .select("url", "near_duplicate_of");
    DataFrameAssertions.assertRows(out, List.of(RowFactory.create("a", null), RowFactory.create("b", "a"),
        RowFactory.create("c", null), RowFactory.create("d", null)));
  }

  @Test
  void detectLanguageGivesIsoCodesConfidenceAndUnd(SparkSession spark) {
    Dataset<Row> docs = spark.sql("SELECT * FROM VALUES"
        + " ('en', 'The weather is nice today and we are going to walk in the park with the children. After lunch we will visit"
        + " the museum in the old town, where there is a new exhibition about the history of the river and the people who lived there.'),"
        + " ('de', 'Das Wetter ist heute schön und wir gehen mit den Kindern im Park spazieren. Nach dem Mittagessen besuchen wir"
        + " das Museum in der Altstadt, wo es eine neue Ausstellung über die Geschichte des Flusses und der Menschen gibt.'),"
        + " ('fr', 'Il fait beau aujourd''hui et nous allons nous promener dans le parc avec les enfants. Après le déjeuner, nous"
        + " visiterons le musée de la vieille ville, où une nouvelle exposition présente l''histoire du fleuve et de ses habitants.'),"
        + " ('short', 'Hi') AS t(url, clean)");
    List<Row> out = PipeTester.of(spark).run(new DetectLanguage(), new DetectLanguage.Params("clean", 0.5, null, 20), Map.of("Unique", docs))
        .select("url", "lang", "confidence").orderBy("url").collectAsList();
    assertThat(out).extracting(r -> r.getString(0) + "=" + r.getString(1)).containsExactly("de=de", "en=en", "fr=fr", "short=und");
    assertThat(out.get(0).getDouble(2)).isGreaterThan(0.5);
    assertThat(out.get(3).getDouble(2)).isZero();
    assertThat(DetectLanguage.iso1("eng")).isEqualTo("en");
    assertThat(DetectLanguage.iso1("cmn")).isEqualTo("zh");
  }
}
