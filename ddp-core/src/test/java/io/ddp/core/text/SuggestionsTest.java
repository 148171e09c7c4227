package io.ddp.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> DATA = List.of("InputData", "IntermediateData", "FeatureData", "PredictionData", "OutputData");

  @Test
  void suggestsTheClosestName() {
    assertThat(Suggestions.closest("FeatureDta", DATA)).containsExactly("FeatureData");
    assertThat(Suggestions.didYouMean("FeatureDta", DATA)).isEqualTo(" (did you mean 'FeatureData'?)");
  }

  @Test
  void ignoresCase() {
    assertThat(Suggestions.closest("featuredata", DATA)).containsExactly("FeatureData");
    assertThat(Suggestions.closest("COUNT", List.of("Count", "Bytes"))).containsExactly("Count");
  }

  @Test
  void countsATranspositionAsOneEdit() {
    assertThat(Suggestions.distance("locaiton", "location")).isEqualTo(1);
    assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.distance("same", "same")).isZero();
    assertThat(Suggestions.closest("locaiton", List.of("location", "format"))).containsExactly("location");
  }

  @Test
  void allowsAboutOneEditPerThreeCharacters() {
    // "Inptu" -> "Input": one transposition; "Outptu" -> "Output" likewise; "xyz" is far from everything.
    assertThat(Suggestions.closest("Inptu", List.of("Input"))).containsExactly("Input");
    assertThat(Suggestions.closest("abcdef", List.of("abcxyz"))).as("3 edits on 6 characters is too many").isEmpty();
    assertThat(Suggestions.closest("abcdef", List.of("abcdxy"))).as("2 edits on 6 characters is close").containsExactly("abcdxy");
    assertThat(Suggestions.closest("ab", List.of("xy"))).isEmpty();
    assertThat(Suggestions.closest("a", List.of("b"))).as("short names allow one edit").containsExactly("b");
    assertThat(Suggestions.didYouMean("xyz", DATA)).isEmpty();
  }

  @Test
  void suggestsANameThatContainsWhatWasTyped() {
    assertThat(Suggestions.closest("Preprocess", List.of("PreprocessTransformer", "PostProcessTransformer")))
        .containsExactly("PreprocessTransformer");
    assertThat(Suggestions.closest("ab", List.of("abcdef"))).as("containment needs 3 characters").isEmpty();
  }

  @Test
  void givesAtMostThreeBestFirstThenAlphabetically() {
    List<String> close = Suggestions.closest("data", List.of("date", "dota", "data1", "datum", "bata", "Data"));

    assertThat(close).containsExactly("Data", "bata", "data1");
    assertThat(Suggestions.didYouMean("data", List.of("date", "dota"))).isEqualTo(" (did you mean one of 'date', 'dota'?)");
  }

  @Test
  void neverSuggestsTheNameItself() {
    assertThat(Suggestions.closest("Count", List.of("Count"))).isEmpty();
    assertThat(Suggestions.didYouMean("Count", List.of("Count"))).isEmpty();
  }

  @Test
  void suggestsNothingForNothing() {
    assertThat(Suggestions.closest(null, DATA)).isEmpty();
    assertThat(Suggestions.closest("", DATA)).isEmpty();
    assertThat(Suggestions.closest("Input", List.of())).isEmpty();
    assertThat(Suggestions.didYouMean(null, DATA)).isEmpty();
  }
}
