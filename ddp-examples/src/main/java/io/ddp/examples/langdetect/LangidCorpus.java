package io.ddp.examples.langdetect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * A web-like corpus of real text in 79 languages: documents of real sentences (Leipzig Wortschatz
 * sentences, see {@code langid/README.md} beside this class's resources), languages skewed the way
 * web content is (English about half, then Spanish, German, Japanese, French...; every language
 * present), lengths log-normal around about 1,000 characters with a tail of one-sentence pages, and
 * duplicates as crawls have them: exact copies (the same text, or the same text with other
 * whitespace and boilerplate lines) and near copies (a few words changed and a date line added).
 * Deterministic by seed. Writes {@code docs.jsonl} ({@code url}, {@code text}) and {@code labels.csv}
 * ({@code url,lang,kind,source}) like {@link CorpusGenerator}.
 *
 * <p>The sentences are split in two halves: {@link Half#TUNE} (even positions of each language),
 * on which DDP's detection thresholds were chosen, and {@link Half#HELD_OUT} (odd positions), on
 * which accuracy is reported.
 */
public final class LangidCorpus {
  /** Which sentences documents are built from. */
  public enum Half { TUNE, HELD_OUT, ALL }

  /**
   * Approximate shares (percent) of web sites by content language (W3Techs' survey, rounded), for the
   * languages of the sentence data; every other language of the data gets {@link #FLOOR}.
   */
  public static final Map<String, Double> WEB_SHARES = webShares();
  static final double FLOOR = 0.05;

  /**
   * @param docs documents to write
   * @param seed random seed (same seed, same corpus)
   * @param meanLength mean length of a page in characters
   * @param exactShare share of documents that are exact copies of an earlier one
   * @param nearShare share of documents that are near copies of an earlier one
   * @param half the sentences to build from
   */
  public record Settings(long docs, long seed, int meanLength, double exactShare, double nearShare, Half half) {
    public Settings {
      if (docs < 0 || meanLength < 20 || exactShare < 0 || nearShare < 0 || exactShare + nearShare >= 1) {
        throw new IllegalArgumentException("docs >= 0, meanLength >= 20, exactShare + nearShare < 1");
      }
    }

    /** The defaults of the held-out corpus: about 1,000 characters, 8% exact and 4% near copies. */
    public static Settings web(long docs, long seed) {
      return new Settings(docs, seed, 1020, 0.08, 0.04, Half.HELD_OUT);
    }
  }

  private static final String[] DATES = {"2019-03-14", "12.05.2021", "2023/11/02", "07/08/2022", "2024-01-30 09:12"};
  private static final String[] BOILERPLATE = {"© 2024 · Privacy · Cookies", "Home | Blog | Contact", "Login", "© 2019-2025"};

  private final Settings settings;
  private final Map<String, List<String>> sentences;
  private final String[] languages;
  private final double[] cumulative;

  public LangidCorpus(Settings settings) {
    this.settings = settings;
    this.sentences = sentences(settings.half());
    this.languages = sentences.keySet().toArray(String[]::new);
    this.cumulative = new double[languages.length];
    double sum = 0;
    for (int i = 0; i < languages.length; i++) {
      sum += WEB_SHARES.getOrDefault(languages[i], FLOOR);
      cumulative[i] = sum;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= sum;
    }
  }

  /** The labelled sentences of one half, by language (ISO 639-1), in file order. */
  public static Map<String, List<String>> sentences(Half half) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    try (InputStream raw = LangidCorpus.class.getResourceAsStream("langid/sentences.tsv.gz")) {
      if (raw == null) {
        throw new IllegalStateException("langid/sentences.tsv.gz is not on the class path (ddp-examples resources)");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        int tab = line.indexOf('\t');
        String text = line.substring(tab + 1).strip();
        if (!text.isEmpty()) {
          all.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>()).add(text);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (half == Half.ALL) {
      return all;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    all.forEach((lang, list) -> {
      List<String> part = new ArrayList<>();
      for (int i = half == Half.TUNE ? 0 : 1; i < list.size(); i += 2) {
        part.add(list.get(i));
      }
      out.put(lang, part);
    });
    return out;
  }

  /** Writes {@code docs.jsonl} and {@code labels.csv} into {@code dir} (as {@link CorpusGenerator} does). */
  public long write(Path dir) throws IOException {
    return CorpusGenerator.write(iterator(), dir);
  }

  /** The documents in order; originals are remembered (a bounded window) as sources of copies. */
  public Iterator<CorpusGenerator.Doc> iterator() {
    SplittableRandom random = new SplittableRandom(settings.seed());
    List<CorpusGenerator.Doc> window = new ArrayList<>();
    // Small sets of sentences that make up most of an original page, by language, and that page's url.
    Map<String, Map<Long, String>> dominant = new java.util.HashMap<>();
    List<Integer> drawn = new ArrayList<>();
    return counted(i -> {
      // Urls on a skewed set of hosts, numbered so that their order says nothing of the content.
      String url = String.format(Locale.ROOT, "https://%s.example/%016x", host(random), mix(settings.seed(), i));
      double r = random.nextDouble();
      if (!window.isEmpty() && r < settings.exactShare()) {
        CorpusGenerator.Doc src = window.get(random.nextInt(window.size()));
        return new CorpusGenerator.Doc(url, exactCopy(src.text(), random), src.lang(), "exact", src.url());
      }
      if (!window.isEmpty() && r < settings.exactShare() + settings.nearShare()) {
        CorpusGenerator.Doc src = window.get(random.nextInt(window.size()));
        return new CorpusGenerator.Doc(url, nearCopy(src.text(), random), src.lang(), "near", src.url());
      }
      String lang = language(random.nextDouble());
      // Originals are distinct pages: a page that would share most of its text with an earlier one is
      // drawn again. With 500 sentences of a language, pages of two or three sentences repeat by chance
      // (two-sentence pages have only 124,750 sets, and at two million documents there are tens of
      // thousands of English ones), in another order or beside a short sentence; such a page is a near
      // copy in content although it was drawn as an original, and a truth calling it distinct would
      // count its removal as a mistake.
      Map<Long, String> seen = dominant.computeIfAbsent(lang, k -> new java.util.HashMap<>());
      String text = null;
      for (int attempt = 0; attempt <= REDRAWS; attempt++) {
        drawn.clear();
        text = page(lang, random, drawn);
        long[] keys = dominantSets(sentences.get(lang), drawn);
        String earlier = null;
        for (long k : keys) {
          earlier = earlier == null ? seen.get(k) : earlier;
        }
        if (earlier == null) {
          for (long k : keys) {
            seen.put(k, url);
          }
          break;
        }
        if (attempt == REDRAWS) {
          return new CorpusGenerator.Doc(url, text, lang, "near", earlier); // every draw repeated a page
        }
      }
      CorpusGenerator.Doc doc = new CorpusGenerator.Doc(url, text, lang, "original", null);
      if (window.size() < 20_000) {
        window.add(doc);
      } else {
        window.set(random.nextInt(window.size()), doc);
      }
      return doc;
    });
  }

  /** Draws of an original page before it is taken as a copy of the earlier page it repeats. */
  static final int REDRAWS = 20;
  /** Sets of up to this many sentences are compared; larger sets do not repeat by chance. */
  static final int SMALL_SET = 4;
  /** A set of a page's sentences is dominant when it holds this share of the page's characters. */
  static final double DOMINANT = 0.7;

  /**
   * The sets of at most {@link #SMALL_SET} of the drawn sentences that hold at least {@link #DOMINANT}
   * of their characters, each packed in a long (sorted indices, 10 bits each, and the set's size).
   * Two pages whose character shingles agree on 80% or more share a set dominant in both.
   */
  static long[] dominantSets(List<String> pool, List<Integer> drawn) {
    int n = drawn.size();
    if (n > 16 || pool.size() > 1024) {
      return new long[0];
    }
    long total = 0;
    int[] lengths = new int[n];
    for (int b = 0; b < n; b++) {
      lengths[b] = pool.get(drawn.get(b)).length();
      total += lengths[b];
    }
    int[] sorted = lengths.clone();
    java.util.Arrays.sort(sorted);
    long largest = 0;
    for (int b = n - 1; b >= Math.max(0, n - SMALL_SET); b--) {
      largest += sorted[b];
    }
    if (largest < DOMINANT * total) {
      return new long[0]; // the common case for pages of many sentences
    }
    List<Long> out = new ArrayList<>();
    for (int mask = 1; mask < (1 << n); mask++) {
      int size = Integer.bitCount(mask);
      if (size > SMALL_SET) {
        continue;
      }
      long chars = 0;
      int[] set = new int[size];
      for (int b = 0, j = 0; b < n; b++) {
        if ((mask & (1 << b)) != 0) {
          chars += lengths[b];
          set[j++] = drawn.get(b);
        }
      }
      if (chars >= DOMINANT * total) {
        java.util.Arrays.sort(set);
        long key = size;
        for (int k : set) {
          key = (key << 10) | k;
        }
        out.add(key);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** {@code settings.docs()} documents, the i-th made by {@code make}. */
  private Iterator<CorpusGenerator.Doc> counted(java.util.function.LongFunction<CorpusGenerator.Doc> make) {
    return new Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < settings.docs();
      }

      @Override
      public CorpusGenerator.Doc next() {
        return make.apply(i++);
      }
    };
  }

  /** {@code docs} original pages, the languages taking turns (for per-language measurements). */
  public Iterator<CorpusGenerator.Doc> uniform() {
    SplittableRandom random = new SplittableRandom(settings.seed());
    return counted(i -> {
      String lang = languages[(int) (i % languages.length)];
      return new CorpusGenerator.Doc("https://uniform.example/" + i, page(lang, random), lang, "original", null);
    });
  }

  private String language(double u) {
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return languages[i];
      }
    }
    return languages[languages.length - 1];
  }

  /** Hosts Zipf-like: a few big sites and a long tail. */
  private static String host(SplittableRandom random) {
    return "site" + (int) Math.floor(Math.pow(50_000, random.nextDouble()));
  }

  private static long mix(long seed, long i) {
    long z = seed * 0x9E3779B97F4A7C15L + i;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A page: paragraphs of sentences until a log-normal length (mean {@code meanLength}); one page in
   * twenty is a single sentence, as short pages are; sometimes a date line or a boilerplate line.
   */
  String page(String lang, SplittableRandom random) {
    return page(lang, random, new ArrayList<>());
  }

  /** A page as {@link #page(String, SplittableRandom)}; the indices of its sentences are added to {@code drawn}. */
  String page(String lang, SplittableRandom random, List<Integer> drawn) {
    List<String> pool = sentences.get(lang);
    StringBuilder sb = new StringBuilder();
    if (random.nextInt(4) == 0) {
      sb.append(DATES[random.nextInt(DATES.length)]).append('\n');
    }
    if (random.nextInt(20) == 0) {
      int k = random.nextInt(pool.size());
      drawn.add(k);
      return sb.append(pool.get(k)).toString();
    }
    double sigma = 0.6;
    double length = Math.exp(Math.log(settings.meanLength()) - sigma * sigma / 2 + sigma * random.nextGaussian());
    int start = sb.length();
    int inParagraph = 0;
    while (sb.length() - start < length) {
      int k = random.nextInt(pool.size());
      drawn.add(k);
      sb.append(pool.get(k));
      inParagraph++;
      if (inParagraph >= 3 + random.nextInt(3)) {
        sb.append("\n\n");
        inParagraph = 0;
      } else {
        sb.append(' ');
      }
    }
    if (random.nextInt(3) == 0) {
      sb.append('\n').append(BOILERPLATE[random.nextInt(BOILERPLATE.length)]);
    }
    return sb.toString().strip();
  }

  /** The same text as served elsewhere: identical, or with other line breaks and boilerplate lines. */
  static String exactCopy(String text, SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> text.replace("\n\n", "\n \n").replace(". ", ".  ");
      case 1 -> BOILERPLATE[random.nextInt(BOILERPLATE.length)] + "\n" + text + "\n" + BOILERPLATE[random.nextInt(BOILERPLATE.length)];
      default -> text;
    };
  }

  /** A near copy: one to three words dropped or repeated, sometimes a date line at the top; never unchanged. */
  static String nearCopy(String text, SplittableRandom random) {
    String[] words = text.split(" ");
    StringBuilder sb = new StringBuilder();
    if (random.nextBoolean()) {
      sb.append("Updated ").append(DATES[random.nextInt(DATES.length)]).append('\n');
    }
    int edits = 1 + random.nextInt(3);
    int every = Math.max(words.length / edits, 2);
    for (String w : words) {
      int roll = random.nextInt(every);
      if (roll == 0) {
        continue; // dropped
      }
      sb.append(w).append(' ');
      if (roll == 1 && words.length > 10) {
        sb.append(w).append(' '); // repeated
      }
    }
    String copy = sb.toString().strip();
    // At least one change, as a near copy has (short pages may draw no word edit).
    return copy.isEmpty() || NormalizeText.normalize(copy).equals(NormalizeText.normalize(text))
        ? "Revised " + DATES[random.nextInt(DATES.length)] + "\n" + text : copy;
  }

  private static Map<String, Double> webShares() {
    Map<String, Double> m = new LinkedHashMap<>();
    String table = "en 49.4 es 6.0 de 5.6 ja 4.8 fr 4.4 ru 4.0 pt 3.8 it 2.6 nl 2.1 pl 1.8 tr 1.8 fa 1.5 zh 1.3 vi 1.3 id 1.1"
        + " cs 1.0 ko 0.8 uk 0.7 ar 0.6 hu 0.6 sv 0.6 el 0.5 ro 0.5 da 0.4 sk 0.4 fi 0.3 th 0.3 he 0.3 bg 0.3 nb 0.3"
        + " sr 0.2 hr 0.2 lt 0.2 sl 0.1 ca 0.1 et 0.1 lv 0.1 hi 0.1 ms 0.1 bn 0.06 az 0.06 ka 0.06 kk 0.06 hy 0.06";
    String[] parts = table.split(" ");
    for (int i = 0; i < parts.length; i += 2) {
      m.put(parts[i], Double.parseDouble(parts[i + 1]));
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * {@code DDP_MAIN_CLASS=io.ddp.examples.langdetect.LangidCorpus ./ddp --docs N --out DIR [--seed S]
   * [--half held-out|tune|all] [--mean-length C] [--exact F] [--near F]}.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>(Map.of("--docs", "100000", "--out", "output/langid-corpus", "--seed", "11",
        "--half", "held-out", "--mean-length", "1020", "--exact", "0.08", "--near", "0.04"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!a.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + a.keySet());
      }
      a.put(args[i], args[i + 1]);
    }
    Settings s = new Settings(Long.parseLong(a.get("--docs")), Long.parseLong(a.get("--seed")), Integer.parseInt(a.get("--mean-length")),
        Double.parseDouble(a.get("--exact")), Double.parseDouble(a.get("--near")),
        Half.valueOf(a.get("--half").toUpperCase(Locale.ROOT).replace('-', '_')));
    long t0 = System.nanoTime();
    long n = new LangidCorpus(s).write(Path.of(a.get("--out")));
    System.out.printf(Locale.ROOT, "wrote %d documents to %s in %.1f s%n", n, a.get("--out"), (System.nanoTime() - t0) / 1e9);
  }
}
