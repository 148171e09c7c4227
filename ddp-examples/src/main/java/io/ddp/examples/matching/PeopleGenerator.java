package io.ddp.examples.matching;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * People records from three sources with the noise real sources have, and the true entity of each
 * record; deterministic for a seed. Each person has a given name, a surname, a birth date, a phone
 * number, a city and a postcode; each source holds a share of the people (some twice) and writes them
 * its own way:
 *
 * <ul>
 *   <li>{@code crm}: names as typed by agents (nicknames, typos, a given name cut to its initial,
 *       first and last name swapped), ISO dates, phones as {@code +1 (555) 123-4567};</li>
 *   <li>{@code billing}: upper-case names without accents or with them transliterated
 *       ({@code Müller} as {@code MUELLER}), dates as {@code dd/MM/yyyy}, phones as digits,
 *       missing postcodes;</li>
 *   <li>{@code web}: names as people type their own (lower case, nicknames), dates as
 *       {@code MMM d, yyyy} with some day and month swapped, phones as {@code 555.123.4567}, many
 *       missing phones.</li>
 * </ul>
 *
 * <p>Surnames are made of syllables (a few hundred thousand distinct ones, common ones more often, as
 * in real populations), given names come from a list of common names with their short forms, so that
 * different people do share names, birth years and places. Output: one CSV per source
 * ({@code source/records.csv}: {@code record_id,first_name,last_name,birth_date,phone,city,postcode})
 * and {@code truth.csv} ({@code record_id,entity_id}).
 */
public final class PeopleGenerator {
  static final String[] SOURCES = {"crm", "billing", "web"};
  private static final double[] IN_SOURCE = {0.8, 0.7, 0.5};
  private static final double DUPLICATE_IN_SOURCE = 0.04;

  static final String[] GIVEN = {
      "robert", "william", "richard", "james", "john", "joseph", "thomas", "charles", "christopher", "daniel", "michael",
      "matthew", "anthony", "andrew", "edward", "henry", "steven", "nicholas", "benjamin", "samuel", "alexander", "jonathan",
      "timothy", "patrick", "peter", "gregory", "lawrence", "raymond", "ronald", "donald", "kenneth", "gerald", "frederick",
      "elizabeth", "margaret", "catherine", "jennifer", "susan", "patricia", "deborah", "rebecca", "victoria", "christine",
      "jessica", "abigail", "samantha", "alexandra", "dorothy", "barbara", "kimberly", "pamela", "theresa", "isabella",
      "amanda", "melissa", "josephine", "frances", "francis", "maria", "sofia", "olivia", "emma", "noah", "liam", "lucas",
      "mateo", "hugo", "louis", "jules", "chloe", "lea", "manon", "camille", "ines", "zoe", "jana", "lena", "hannah", "mia",
      "felix", "jonas", "leon", "paul", "elias", "finn", "emil", "anton", "oskar", "ida", "greta", "marta", "agnieszka",
      "piotr", "krzysztof", "tomasz", "pawel", "ewa", "anna", "katarzyna", "giulia", "francesca", "marco", "luca",
      "giuseppe", "alessandro", "lorenzo", "chiara", "sara", "jose", "juan", "carlos", "javier", "lucia", "carmen", "pablo",
      "diego", "ahmed", "mohamed", "omar", "fatima", "aisha", "yusuf", "wei", "li", "hiroshi", "yuki", "haruto", "sakura",
      "priya", "arjun", "rahul", "ananya", "dmitri", "olga", "ivan", "natalia", "sergei", "jurgen", "bjorn", "soren",
      "ingrid", "astrid", "rene", "zoe", "andre", "francois", "jerome", "helene", "celine", "aurelie"};

  private static final String[] START = {"b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p",
      "pr", "r", "s", "sch", "sh", "st", "t", "tr", "v", "w", "z", "", "", "al", "an", "el", "or", "os"};
  private static final String[] VOWEL = {"a", "e", "i", "o", "u", "a", "e", "o", "ie", "ou", "ei", "au", "y"};
  private static final String[] MIDDLE = {"b", "d", "g", "k", "l", "ll", "m", "n", "nn", "r", "rr", "s", "ss", "t", "tt", "v", "z",
      "nd", "ns", "rt", "st", "lk", "rm"};
  private static final String[] END = {"", "n", "r", "s", "son", "sen", "er", "man", "mann", "ski", "sky", "ez", "es", "ov",
      "ova", "ic", "ich", "berg", "stein", "ford", "ton", "ley", "well", "wood", "ini", "elli", "ez", "o", "a", "y", "el", "et"};
  private static final String[] CITIES = {"springfield", "riverside", "fairview", "franklin", "greenville", "bristol", "clinton",
      "salem", "madison", "georgetown", "arlington", "ashland", "burlington", "manchester", "oxford", "milton", "newport",
      "dover", "hudson", "kingston", "lexington", "marion", "mount vernon", "saint paul", "saint louis", "fort collins",
      "port angeles", "lakewood", "winchester", "chester"};
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  /** One person: the truth behind the records. */
  record Person(long entity, String first, String last, LocalDate born, String phone, String city, String postcode) {}

  /** One written record and its true entity. */
  record Written(String source, String id, long entity, String first, String last, String born, String phone, String city,
      String postcode) {}

  private PeopleGenerator() {}

  /** Writes about {@code records} records (the three sources together) under {@code dir}; returns how many. */
  public static long write(long records, long seed, Path dir) throws IOException {
    Files.createDirectories(dir);
    // Expected records per person: 0.8 + 0.7 + 0.5 (each with 4% duplicates), about 2.08.
    long people = Math.max(1, Math.round(records / (2.0 * (1 + DUPLICATE_IN_SOURCE) * 1.0)));
    SplittableRandom random = new SplittableRandom(seed);
    List<BufferedWriter> out = new ArrayList<>();
    for (String s : SOURCES) {
      Path f = dir.resolve(s).resolve("records.csv");
      Files.createDirectories(f.getParent());
      BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8);
      w.write("record_id,first_name,last_name,birth_date,phone,city,postcode\n");
      out.add(w);
    }
    long written = 0;
    long[] counter = new long[SOURCES.length];
    try (BufferedWriter truth = Files.newBufferedWriter(dir.resolve("truth.csv"), StandardCharsets.UTF_8)) {
      truth.write("record_id,entity_id\n");
      for (long e = 0; e < people && written < records; e++) {
        Person p = person(e, random);
        boolean any = false;
        for (int s = 0; s < SOURCES.length; s++) {
          boolean in = random.nextDouble() < IN_SOURCE[s] || (!any && s == SOURCES.length - 1);
          if (!in) {
            continue;
          }
          any = true;
          int copies = random.nextDouble() < DUPLICATE_IN_SOURCE ? 2 : 1;
          for (int c = 0; c < copies && written < records; c++) {
            Written w = record(SOURCES[s], SOURCES[s].charAt(0) + Long.toString(++counter[s]), p, random);
            out.get(s).write(csv(w.id(), w.first(), w.last(), w.born(), w.phone(), w.city(), w.postcode()));
            truth.write(w.id() + "," + w.entity() + "\n");
            written++;
          }
        }
      }
    } finally {
      for (BufferedWriter w : out) {
        w.close();
      }
    }
    return written;
  }

  static Person person(long entity, SplittableRandom r) {
    String first = GIVEN[zipf(r, GIVEN.length, 0.7)];
    String last = surname(r);
    LocalDate born = LocalDate.of(1940, 1, 1).plusDays(r.nextInt(65 * 365));
    String phone = String.format(Locale.ROOT, "%03d%03d%04d", 200 + r.nextInt(800), 200 + r.nextInt(800), r.nextInt(10000));
    int place = zipf(r, 3000, 0.6);
    String city = CITIES[place % CITIES.length];
    String postcode = String.format(Locale.ROOT, "%05d", 10000 + place * 29 % 89999);
    if (r.nextDouble() < 0.06) { // some names with letters that sources write differently
      last = accented(last, r);
    }
    return new Person(entity, first, last, born, phone, city, postcode);
  }

  /** A surname from syllables; lower indices (drawn more often) repeat, as common surnames do. */
  static String surname(SplittableRandom r) {
    long n = zipf(r, 400_000, 0.5);
    SplittableRandom s = new SplittableRandom(n * 0x9E3779B97F4A7C15L + 17);
    StringBuilder b = new StringBuilder(START[s.nextInt(START.length)]).append(VOWEL[s.nextInt(VOWEL.length)]);
    int middles = 1 + s.nextInt(2);
    for (int i = 0; i < middles; i++) {
      b.append(MIDDLE[s.nextInt(MIDDLE.length)]).append(VOWEL[s.nextInt(VOWEL.length)]);
    }
    b.append(END[s.nextInt(END.length)]);
    return b.toString();
  }

  private static String accented(String name, SplittableRandom r) {
    String[][] swaps = {{"u", "ü"}, {"o", "ö"}, {"a", "ä"}, {"e", "é"}, {"ss", "ß"}, {"c", "ç"}, {"n", "ñ"}};
    String[] s = swaps[r.nextInt(swaps.length)];
    int i = name.indexOf(s[0]);
    return i < 0 ? name : name.substring(0, i) + s[1] + name.substring(i + s[0].length());
  }

  /** An index in [0, n) with a heavy head: index ~ n * u^(1/alpha)... skewed towards 0. */
  static int zipf(SplittableRandom r, int n, double skew) {
    double u = r.nextDouble();
    return (int) Math.min(n - 1, Math.floor(n * Math.pow(u, 1 / skew)));
  }

  static Written record(String source, String id, Person p, SplittableRandom r) {
    String first = p.first();
    String last = p.last();
    String born;
    String phone;
    String city = p.city();
    String postcode = p.postcode();
    switch (source) {
      case "crm" -> {
        first = noisyGiven(first, r, 0.15, 0.05);
        last = typo(last, r, 0.08);
        if (r.nextDouble() < 0.03) {
          String t = first;
          first = last;
          last = t;
        }
        first = capitalise(first);
        last = capitalise(last);
        born = p.born().toString();
        phone = "+1 (" + p.phone().substring(0, 3) + ") " + p.phone().substring(3, 6) + "-" + p.phone().substring(6);
        city = r.nextDouble() < 0.3 ? city.replace("saint ", "st. ").replace("mount ", "mt. ").replace("fort ", "ft. ") : city;
        city = capitalise(city);
      }
      case "billing" -> {
        first = typo(first, r, 0.04).toUpperCase(Locale.ROOT);
        String l = r.nextBoolean() ? transliterate(last) : stripAccents(last);
        last = typo(l, r, 0.04).toUpperCase(Locale.ROOT);
        born = p.born().format(DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.ROOT));
        phone = r.nextDouble() < 0.5 ? "1" + p.phone() : p.phone();
        city = city.toUpperCase(Locale.ROOT);
        postcode = r.nextDouble() < 0.15 ? null : postcode;
      }
      default -> {
        first = noisyGiven(first, r, 0.25, 0.0);
        last = typo(last, r, 0.06);
        LocalDate d = p.born();
        if (r.nextDouble() < 0.03 && d.getDayOfMonth() <= 12 && d.getDayOfMonth() != d.getMonthValue()) {
          d = LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue()); // day and month swapped
        }
        born = r.nextDouble() < 0.08 ? null : MONTHS[d.getMonthValue() - 1] + " " + d.getDayOfMonth() + ", " + d.getYear();
        phone = r.nextDouble() < 0.4 ? null : p.phone().substring(0, 3) + "." + p.phone().substring(3, 6) + "." + p.phone().substring(6);
        city = r.nextDouble() < 0.1 ? null : city;
      }
    }
    return new Written(source, id, p.entity(), first, last, born, phone, city, postcode);
  }

  private static final Map<String, String[]> SHORT = shortForms();

  private static Map<String, String[]> shortForms() {
    Map<String, String[]> m = new java.util.HashMap<>();
    String[][] pairs = {{"robert", "bob", "rob", "bobby"}, {"william", "bill", "will"}, {"richard", "rick", "dick"},
        {"james", "jim", "jimmy"}, {"john", "jack", "johnny"}, {"joseph", "joe"}, {"thomas", "tom"}, {"charles", "charlie", "chuck"},
        {"christopher", "chris"}, {"daniel", "dan", "danny"}, {"michael", "mike"}, {"matthew", "matt"}, {"anthony", "tony"},
        {"andrew", "andy", "drew"}, {"edward", "ed", "ted"}, {"steven", "steve"}, {"nicholas", "nick"}, {"benjamin", "ben"},
        {"samuel", "sam"}, {"alexander", "alex"}, {"timothy", "tim"}, {"patrick", "pat"}, {"peter", "pete"},
        {"elizabeth", "liz", "beth", "betty"}, {"margaret", "maggie", "peggy"}, {"catherine", "kate", "cathy"},
        {"jennifer", "jen", "jenny"}, {"susan", "sue"}, {"rebecca", "becky"}, {"victoria", "vicky"}, {"jessica", "jess"},
        {"abigail", "abby"}, {"barbara", "barb"}, {"kimberly", "kim"}, {"pamela", "pam"}, {"amanda", "mandy"},
        {"gregory", "greg"}, {"lawrence", "larry"}, {"ronald", "ron"}, {"donald", "don"}, {"kenneth", "ken"},
        {"frederick", "fred"}, {"deborah", "debbie"}, {"patricia", "patty"}};
    for (String[] p : pairs) {
      m.put(p[0], java.util.Arrays.copyOfRange(p, 1, p.length));
    }
    return m;
  }

  private static String noisyGiven(String first, SplittableRandom r, double nickname, double initial) {
    String[] shorts = SHORT.get(first);
    if (shorts != null && r.nextDouble() < nickname) {
      return shorts[r.nextInt(shorts.length)];
    }
    if (r.nextDouble() < initial) {
      return first.substring(0, 1);
    }
    return typo(first, r, 0.05);
  }

  /** With probability p, one typing error after the first letter: a letter dropped, doubled, replaced, or two swapped. */
  static String typo(String s, SplittableRandom r, double p) {
    if (s.length() < 3 || r.nextDouble() >= p) {
      return s;
    }
    int i = 1 + r.nextInt(s.length() - 2);
    return switch (r.nextInt(4)) {
      case 0 -> s.substring(0, i) + s.substring(i + 1);
      case 1 -> s.substring(0, i) + s.charAt(i) + s.substring(i);
      case 2 -> s.substring(0, i) + (char) ('a' + r.nextInt(26)) + s.substring(i + 1);
      default -> s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
    };
  }

  static String transliterate(String s) {
    return s.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss").replace("é", "e").replace("ç", "c")
        .replace("ñ", "n");
  }

  static String stripAccents(String s) {
    return java.text.Normalizer.normalize(s.replace("ß", "ss"), java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
  }

  private static String capitalise(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      b.append(start ? Character.toUpperCase(c) : c);
      start = c == ' ' || c == '-';
    }
    return b.toString();
  }

  private static String csv(String... values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      String v = values[i];
      if (v != null) {
        b.append(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
    }
    return b.append('\n').toString();
  }

  public static void main(String[] args) throws IOException {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000;
    Path dir = Path.of(args.length > 1 ? args[1] : "output/matching/input");
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
    System.out.println("wrote " + write(n, seed, dir) + " records of about " + n + " to " + dir);
  }
}
