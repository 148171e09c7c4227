package io.ddp.examples.langdetect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LangidCorpusTest {
  @Test
  void theHalvesAreDisjointAndCoverAllLanguages() {
    Map<String, List<String>> tune = LangidCorpus.sentences(LangidCorpus.Half.TUNE);
    Map<String, List<String>> held = LangidCorpus.sentences(LangidCorpus.Half.HELD_OUT);
    assertThat(tune.keySet()).hasSize(79).isEqualTo(held.keySet());
    assertThat(tune.get("en")).hasSize(500);
    Set<String> overlap = new HashSet<>(tune.get("de"));
    overlap.retainAll(held.get("de"));
    assertThat(overlap.size()).as("sentences in both halves (the data repeats a few)").isLessThan(5);
  }

  @Test
  void aWebLikeCorpusIsSkewedHasCopiesAndIsTheSameForTheSameSeed() {
    LangidCorpus corpus = new LangidCorpus(LangidCorpus.Settings.web(20_000, 3));
    Map<String, Integer> langs = new HashMap<>();
    Map<String, Integer> kinds = new HashMap<>();
    Set<String> urls = new HashSet<>();
    long chars = 0;
    long originals = 0;
    for (Iterator<CorpusGenerator.Doc> it = corpus.iterator(); it.hasNext();) {
      CorpusGenerator.Doc d = it.next();
      assertThat(urls.add(d.url())).as("urls are unique").isTrue();
      langs.merge(d.lang(), 1, Integer::sum);
      kinds.merge(d.kind(), 1, Integer::sum);
      if (d.kind().equals("original")) {
        originals++;
        chars += d.text().length();
      }
    }
    assertThat(langs).hasSize(79);
    assertThat(langs.get("en") / 20_000.0).isBetween(0.40, 0.52);
    assertThat(kinds.get("exact") / 20_000.0).isBetween(0.07, 0.09);
    assertThat(kinds.get("near") / 20_000.0).isBetween(0.03, 0.05);
    assertThat((double) chars / originals).isBetween(850.0, 1150.0);
    Iterator<CorpusGenerator.Doc> a = new LangidCorpus(LangidCorpus.Settings.web(50, 3)).iterator();
    Iterator<CorpusGenerator.Doc> b = new LangidCorpus(LangidCorpus.Settings.web(50, 3)).iterator();
    while (a.hasNext()) {
      assertThat(a.next()).isEqualTo(b.next());
    }
  }

  @Test
  void copiesAreCopiesOfTheirSource() {
    Map<String, CorpusGenerator.Doc> byUrl = new HashMap<>();
    int near = 0;
    for (Iterator<CorpusGenerator.Doc> it = new LangidCorpus(LangidCorpus.Settings.web(3000, 5)).iterator(); it.hasNext();) {
      CorpusGenerator.Doc d = it.next();
      byUrl.put(d.url(), d);
      if (d.kind().equals("exact")) {
        assertThat(NormalizeText.normalize(d.text())).isEqualTo(NormalizeText.normalize(byUrl.get(d.source()).text()));
      } else if (d.kind().equals("near")) {
        near++;
        assertThat(NormalizeText.normalize(d.text())).isNotEqualTo(NormalizeText.normalize(byUrl.get(d.source()).text()));
      }
    }
    assertThat(near).isGreaterThan(60);
  }
}
