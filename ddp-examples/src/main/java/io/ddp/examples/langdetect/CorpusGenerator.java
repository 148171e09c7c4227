package io.ddp.examples.langdetect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a web-like corpus from labelled sentences: each document is a page (a navigation line, a
 * title, paragraphs of sentences in one language, a footer), about {@code meanLength} characters
 * long (log-normal); a share of documents are exact copies of earlier ones and a share are near
 * copies (a few words changed). Deterministic for a seed. Writes {@code docs.jsonl} ({@code url},
 * {@code text}) and {@code labels.csv} ({@code url, lang, kind, source}).
 *
 * <pre>{@code
 * DDP_MAIN_CLASS=io.ddp.examples.langdetect.CorpusGenerator ./ddp --docs 100000 --out data/corpus --seed 7
 * }</pre>
 */
public final class CorpusGenerator {
  /** The languages shipped with the example (ISO 639-1). */
  public static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "cs", "hu", "ro", "tr",
      "ru", "el", "ar");
  private static final String[] NAV = {"Home | News | About | Contact", "Menu: Start · Blog · Shop · Login", "Home > Articles > Archive"};
  private static final String[] FOOTER = {"Copyright 2026 Example Media. All rights reserved.", "© 2026 · Privacy · Cookies · Imprint",
      "Share on: Facebook | Twitter | Email"};

  /**
   * Settings.
   *
   * @param docs how many documents
   * @param seed the random seed: same settings, same corpus
   * @param meanLength mean document length in characters
   * @param exactShare share of documents that are exact copies of an earlier one
   * @param nearShare share of documents that are near copies (small edits) of an earlier one
   * @param languages ISO 639-1 codes to draw from
   */
  public record Settings(long docs, long seed, int meanLength, double exactShare, double nearShare, List<String> languages) {
    public Settings {
      if (docs < 1 || meanLength < 50 || exactShare < 0 || nearShare < 0 || exactShare + nearShare >= 1) {
        throw new IllegalArgumentException("docs >= 1, meanLength >= 50, 0 <= exactShare, nearShare and exactShare + nearShare < 1");
      }
      languages = List.copyOf(languages);
      for (String l : languages) {
        if (!LANGUAGES.contains(l)) {
          throw new IllegalArgumentException("no sentences for language '" + l + "'; available: " + LANGUAGES);
        }
      }
    }
  }

  /** One generated document and its truth. */
  public record Doc(String url, String text, String lang, String kind, String source) {}

  private final Settings settings;
  private final Map<String, List<String>> sentences = new LinkedHashMap<>();

  public CorpusGenerator(Settings settings) {
    this.settings = settings;
    for (String l : settings.languages()) {
      sentences.put(l, load(l));
    }
  }

  static List<String> load(String lang) {
    try (InputStream in = CorpusGenerator.class.getResourceAsStream("/io/ddp/examples/langdetect/sentences/" + lang + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(s -> !s.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code docs.jsonl} and {@code labels.csv} into {@code dir}; returns the number written. */
  public long write(Path dir) throws IOException {
    return write(iterator(), dir);
  }

  /**
   * Writes documents as {@code docs.jsonl} ({@code url}, {@code text}) and their truth as
   * {@code labels.csv} ({@code url,lang,kind,source}) into {@code dir}; returns the number written.
   */
  static long write(java.util.Iterator<Doc> documents, Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    long n = 0;
    try (BufferedWriter docs = Files.newBufferedWriter(dir.resolve("docs.jsonl"));
        BufferedWriter labels = Files.newBufferedWriter(dir.resolve("labels.csv"))) {
      labels.write("url,lang,kind,source\n");
      for (Doc d : (Iterable<Doc>) () -> documents) {
        ObjectNode o = json.createObjectNode();
        o.put("url", d.url());
        o.put("text", d.text());
        docs.write(json.writeValueAsString(o));
        docs.write('\n');
        labels.write(d.url() + "," + d.lang() + "," + d.kind() + "," + (d.source() == null ? "" : d.source()) + "\n");
        n++;
      }
    }
    return n;
  }

  /** The documents, in order; originals are remembered (a bounded window) as sources of copies. */
  public java.util.Iterator<Doc> iterator() {
    SplittableRandom random = new SplittableRandom(settings.seed());
    List<Doc> window = new ArrayList<>();
    return new java.util.Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < settings.docs();
      }

      @Override
      public Doc next() {
        String url = "https://site" + random.nextInt(5000) + ".example/" + (i++);
        double r = random.nextDouble();
        Doc doc;
        if (!window.isEmpty() && r < settings.exactShare()) {
          Doc src = window.get(random.nextInt(window.size()));
          doc = new Doc(url, src.text(), src.lang(), "exact", src.url());
        } else if (!window.isEmpty() && r < settings.exactShare() + settings.nearShare()) {
          Doc src = window.get(random.nextInt(window.size()));
          doc = new Doc(url, edit(src.text(), random), src.lang(), "near", src.url());
        } else {
          String lang = settings.languages().get(random.nextInt(settings.languages().size()));
          doc = new Doc(url, page(lang, random), lang, "original", null);
          if (window.size() < 10_000) {
            window.add(doc);
          } else {
            window.set(random.nextInt(window.size()), doc);
          }
        }
        return doc;
      }
    };
  }

  private String page(String lang, SplittableRandom random) {
    List<String> pool = sentences.get(lang);
    double length = Math.exp(Math.log(settings.meanLength()) - 0.125 + 0.5 * random.nextGaussian());
    StringBuilder sb = new StringBuilder(NAV[random.nextInt(NAV.length)]).append('\n');
    sb.append(pool.get(random.nextInt(pool.size()))).append("\n\n");
    int paragraph = 0;
    while (sb.length() < length) {
      sb.append(pool.get(random.nextInt(pool.size())));
      sb.append(++paragraph % 4 == 0 ? "\n\n" : " ");
    }
    return sb.append('\n').append(FOOTER[random.nextInt(FOOTER.length)]).toString();
  }

  /** A near copy: a few words dropped or repeated and a little whitespace changed. */
  static String edit(String text, SplittableRandom random) {
    String[] words = text.split(" ");
    StringBuilder sb = new StringBuilder();
    int edits = 1 + random.nextInt(3);
    for (String w : words) {
      int roll = random.nextInt(Math.max(words.length / edits, 2));
      if (roll == 0) {
        continue;
      }
      sb.append(w).append(roll == 1 ? "  " : " ");
    }
    return sb.toString().trim();
  }

  /** Mean length of the original documents this generator makes, in characters. */
  double iteratorLengths() {
    long n = 0;
    long chars = 0;
    for (java.util.Iterator<Doc> it = iterator(); it.hasNext();) {
      Doc d = it.next();
      if (d.kind().equals("original")) {
        n++;
        chars += d.text().length();
      }
    }
    return (double) chars / Math.max(n, 1);
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Settings s = new Settings(Long.parseLong(a.getOrDefault("docs", "10000")), Long.parseLong(a.getOrDefault("seed", "42")),
        Integer.parseInt(a.getOrDefault("length", "1000")), Double.parseDouble(a.getOrDefault("exact", "0.1")),
        Double.parseDouble(a.getOrDefault("near", "0.05")),
        a.containsKey("languages") ? List.of(a.get("languages").split(",")) : LANGUAGES);
    long t0 = System.nanoTime();
    long n = new CorpusGenerator(s).write(Path.of(a.getOrDefault("out", "output/corpus")));
    System.out.printf(java.util.Locale.ROOT, "wrote %d documents to %s in %.1f s%n", n, a.getOrDefault("out", "output/corpus"),
        (System.nanoTime() - t0) / 1e9);
  }
}
