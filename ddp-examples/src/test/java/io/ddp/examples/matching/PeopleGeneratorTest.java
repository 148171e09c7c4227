package io.ddp.examples.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeopleGeneratorTest {
  @TempDir
  Path dir;

  @Test
  void sourcesTruthAndTheirNoiseAreDeterministic() throws Exception {
    long n = PeopleGenerator.write(5000, 7, dir.resolve("a"));
    assertThat(n).isEqualTo(5000);
    PeopleGenerator.write(5000, 7, dir.resolve("b"));
    for (String f : List.of("crm/records.csv", "billing/records.csv", "web/records.csv", "truth.csv")) {
      assertThat(Files.readString(dir.resolve("a").resolve(f))).as(f + " is the same for a seed").isEqualTo(Files.readString(dir.resolve("b").resolve(f)));
    }
    List<String> truth = Files.readAllLines(dir.resolve("a/truth.csv"));
    assertThat(truth.get(0)).isEqualTo("record_id,entity_id");
    assertThat(truth).hasSize(5001);
    Map<String, Integer> perEntity = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (String line : truth.subList(1, truth.size())) {
      String[] p = line.split(",");
      assertThat(ids.add(p[0])).as("record ids are unique").isTrue();
      perEntity.merge(p[1], 1, Integer::sum);
    }
    double perPerson = 5000.0 / perEntity.size();
    assertThat(perPerson).as("records per person").isBetween(1.8, 2.4);

    List<String> crm = Files.readAllLines(dir.resolve("a/crm/records.csv"));
    List<String> billing = Files.readAllLines(dir.resolve("a/billing/records.csv"));
    List<String> web = Files.readAllLines(dir.resolve("a/web/records.csv"));
    assertThat(crm.size() + billing.size() + web.size() - 3).isEqualTo(5000);
    assertThat(crm.get(1)).matches("c1,[^,]*,[^,]*,\\d{4}-\\d{2}-\\d{2},\\+1 \\(\\d{3}\\) \\d{3}-\\d{4},.*");
    assertThat(billing.get(1)).matches("b1,[A-Z]*,[^,]*,\\d{2}/\\d{2}/\\d{4},1?\\d{10},[A-Z .]*,\\d*");
    assertThat(web.stream().skip(1).filter(l -> l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)[4].isEmpty()).count()).as("web phones often missing")
        .isGreaterThan(web.size() / 4);
    assertThat(crm.stream().filter(l -> l.matches("c\\d+,(Bob|Bill|Jim|Mike|Liz|Tom|Kate|Jen|Sue|Tony),.*")).count())
        .as("nicknames in the CRM").isGreaterThan(0);
  }

  @Test
  void typosAreSmallAndTransliterationsReadable() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      String t = PeopleGenerator.typo("margaret", r, 1.0);
      assertThat(Math.abs(t.length() - 8)).isLessThanOrEqualTo(1);
      assertThat(t.charAt(0)).isEqualTo('m');
    }
    assertThat(PeopleGenerator.transliterate("müller")).isEqualTo("mueller");
    assertThat(PeopleGenerator.stripAccents("müller")).isEqualTo("muller");
    assertThat(PeopleGenerator.stripAccents("straße")).isEqualTo("strasse");
  }
}
