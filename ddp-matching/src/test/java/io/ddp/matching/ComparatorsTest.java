package io.ddp.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparatorsTest {
  @Test
  void stringComparators() {
    assertThat(Comparators.of("exact", 1).compare("anna", "anna")).isEqualTo(1.0);
    assertThat(Comparators.of("exact", 1).compare("anna", "ana")).isEqualTo(0.0);
    assertThat(Comparators.levenshtein("kitten", "sitting")).isCloseTo(1 - 3.0 / 7, within(1e-12));
    assertThat(Comparators.levenshtein("", "")).isEqualTo(1.0);
    assertThat(Comparators.jaroWinkler("martha", "marhta")).isCloseTo(0.9611, within(1e-4));
    assertThat(Comparators.tokenJaccard("John  Smith", "smith john")).isEqualTo(1.0);
    assertThat(Comparators.tokenJaccard("john a smith", "john smith")).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void numbersDatesAndVectors() {
    assertThat(Comparators.of("numeric", 10).compare(1990, 1995)).isEqualTo(0.5);
    assertThat(Comparators.of("numeric", 10).compare("1990", 2010)).isEqualTo(0.0);
    assertThat(Comparators.of("date", 365).compare("1990-01-01", java.sql.Date.valueOf("1990-01-01"))).isEqualTo(1.0);
    assertThat(Comparators.of("date", 10).compare("1990-01-01", "1990-01-06")).isEqualTo(0.5);
    assertThat(Comparators.of("date", 10).compare("not a date", "1990-01-06")).isNull();
    assertThat(Comparators.of("cosine", 1).compare(List.of(1.0, 0.0), List.of(1.0, 0.0))).isEqualTo(1.0);
    assertThat(Comparators.of("cosine", 1).compare(List.of(1.0, 0.0), List.of(-1.0, 0.0))).isEqualTo(0.0);
    assertThat(Comparators.of("cosine", 1).compare(List.of(1.0, 0.0), List.of(0.0, 1.0))).isEqualTo(0.5);
  }

  @Test
  void missingValuesAreNullNotZero() {
    for (String name : Comparators.NAMES) {
      assertThat(Comparators.of(name, 1).compare(null, "x")).as(name).isNull();
      assertThat(Comparators.of(name, 1).compare("x", "  ")).as(name).isNull();
    }
    assertThatThrownBy(() -> Comparators.of("soundalike", 1)).hasMessageContaining("unknown comparator 'soundalike'; use one of exact");
  }
}
