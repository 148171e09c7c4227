package io.ddp.core.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.exceptions.DdpException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipeInputsTest {
  private static final String LABEL = "#3 ModelPredictionTransformer -> PredictionData";

  private static PipeInputs<String> two() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("IntermediateData", "intermediate rows");
    in.put("FeatureData", "feature rows");
    return PipeInputs.of(LABEL, in);
  }

  @Test
  void getsInputsByIdAndByPositionInDeclaredOrder() {
    PipeInputs<String> inputs = two();

    assertThat(inputs.get("FeatureData")).isEqualTo("feature rows");
    assertThat(inputs.get(0)).isEqualTo("intermediate rows");
    assertThat(inputs.get(1)).isEqualTo("feature rows");
    assertThat(inputs.ids()).containsExactly("IntermediateData", "FeatureData");
    assertThat(inputs.all()).containsExactly("intermediate rows", "feature rows");
    assertThat(inputs.size()).isEqualTo(2);
    assertThat(inputs.contains("FeatureData")).isTrue();
    assertThat(inputs.contains("InputData")).isFalse();
  }

  @Test
  void onlyReturnsTheSingleInput() {
    PipeInputs<String> inputs = PipeInputs.of("#1 PreprocessTransformer -> IntermediateData", Map.of("InputData", "rows"));

    assertThat(inputs.only()).isEqualTo("rows");
  }

  @Test
  void onlyFailsForSeveralInputsNamingThePipe() {
    assertThatThrownBy(() -> two().only())
        .isInstanceOf(DdpException.class)
        .hasMessage("Pipe " + LABEL + " expects exactly one input but is declared with 2: [IntermediateData, FeatureData]."
            + " Read them by dataId with get(id), or change \"inputDataId\".");
  }

  @Test
  void onlyFailsForNoInputs() {
    assertThatThrownBy(() -> PipeInputs.of("#1 T -> B", Map.of()).only())
        .isInstanceOf(DdpException.class)
        .hasMessageStartingWith("Pipe #1 T -> B expects exactly one input but is declared with 0: []");
  }

  @Test
  void failsForAnUnknownIdNamingThePipeAndItsInputs() {
    assertThatThrownBy(() -> two().get("InputData"))
        .isInstanceOf(DdpException.class)
        .hasMessage("Pipe " + LABEL + " has no input 'InputData'; its inputs are [IntermediateData, FeatureData]."
            + " Add it to \"inputDataId\" in the pipeline or read one of those.");
  }

  @Test
  void failsForAPositionOutOfRange() {
    assertThatThrownBy(() -> two().get(2))
        .isInstanceOf(DdpException.class)
        .hasMessage("Pipe " + LABEL + " has no input at position 2; it has 2 input(s): [IntermediateData, FeatureData]");
    assertThatThrownBy(() -> two().get(-1))
        .isInstanceOf(DdpException.class)
        .hasMessageStartingWith("Pipe " + LABEL + " has no input at position -1");
  }

  @Test
  void rejectsNullIdsAndData() {
    Map<String, String> nullData = new HashMap<>();
    nullData.put("A", null);
    Map<String, String> nullId = new HashMap<>();
    nullId.put(null, "rows");

    assertThatThrownBy(() -> PipeInputs.of("#1 T -> B", nullData))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot make inputs of pipe #1 T -> B: null dataId or data for 'A'");
    assertThatThrownBy(() -> PipeInputs.of("#1 T -> B", nullId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot make inputs of pipe #1 T -> B: null dataId or data for 'null'");
  }

  @Test
  void isImmutableAndIndependentOfTheGivenMap() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("A", "a");
    PipeInputs<String> inputs = PipeInputs.of("#1 T -> B", in);

    in.put("B", "b");

    assertThat(inputs.ids()).containsExactly("A");
    assertThatThrownBy(() -> inputs.all().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> inputs.ids().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
