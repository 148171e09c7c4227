package io.ddp.examples.langdetect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import opennlp.tools.langdetect.LanguageDetectorME;
import org.junit.jupiter.api.Test;

class LanguageCodesTest {
  @Test
  void everyLanguageOfTheModelHasAStandardCode() {
    String[] model = new LanguageDetectorME(DetectLanguage.model()).getSupportedLanguages();
    assertThat(model).hasSize(103);
    assertThat(LanguageCodes.OPENNLP.keySet()).containsExactlyInAnyOrder(model);
    Set<String> iso639_1 = Set.of(java.util.Locale.getISOLanguages());
    for (String code : LanguageCodes.EMITTED) {
      assertThat(code).as("ISO 639-1 (two letters, a known code) or ISO 639-3 (three)")
          .satisfiesAnyOf(c -> assertThat(c).hasSize(2).isIn(iso639_1).isNotIn("iw", "in", "ji"), c -> assertThat(c).hasSize(3));
    }
    assertThat(Arrays.stream(model).filter(c -> LanguageCodes.iso(c).length() == 3).sorted().toList())
        .as("only languages without a 639-1 code keep three letters")
        .containsExactly("ast", "ceb", "gsw", "min", "nan", "nds", "pnb", "war");
  }

  @Test
  void codesThatWentWrongBefore() {
    assertThat(LanguageCodes.iso("heb")).isEqualTo("he");
    assertThat(LanguageCodes.iso("ind")).isEqualTo("id");
    assertThat(LanguageCodes.iso("nob")).isEqualTo("nb");
    assertThat(LanguageCodes.iso("nno")).isEqualTo("nn");
    assertThat(LanguageCodes.iso("cmn")).isEqualTo("zh");
    assertThat(LanguageCodes.iso("pes")).isEqualTo("fa");
    assertThat(LanguageCodes.iso("fas")).isEqualTo("fa");
    assertThat(LanguageCodes.iso("ekk")).isEqualTo("et");
    assertThat(LanguageCodes.iso("lvs")).isEqualTo("lv");
    assertThat(LanguageCodes.iso("msa")).isEqualTo("ms");
    assertThat(LanguageCodes.iso("plt")).isEqualTo("mg");
    assertThat(LanguageCodes.iso("ltz")).isEqualTo("lb");
    assertThat(LanguageCodes.iso("xyz")).isEqualTo("xyz");
    assertThat(LanguageCodes.supported("he")).isTrue();
    assertThat(LanguageCodes.supported("yo")).isFalse();
  }

  @Test
  void scripts() {
    assertThat(LanguageCodes.script("東京都は日本の首都であり、多くの人が住んでいます。")).isEqualTo("KANA");
    assertThat(LanguageCodes.script("北京是中华人民共和国的首都。")).isEqualTo("HAN");
    assertThat(LanguageCodes.script("Москва — столица России.")).isEqualTo("CYRILLIC");
    assertThat(LanguageCodes.script("The quick brown fox, 2024-01-02.")).isEqualTo("LATIN");
    assertThat(LanguageCodes.script("서울은 대한민국의 수도이다.")).isEqualTo("HANGUL");
    assertThat(LanguageCodes.script("2024-01-02 12:00")).isEqualTo("NONE");
  }
}
