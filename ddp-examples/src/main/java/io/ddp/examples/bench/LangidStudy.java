package io.ddp.examples.bench;

import io.ddp.examples.langdetect.CorpusGenerator;
import io.ddp.examples.langdetect.DetectLanguage;
import io.ddp.examples.langdetect.NormalizeText;
import io.ddp.examples.langdetect.LangidCorpus;
import io.ddp.examples.langdetect.LanguageCodes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorConfig;
import opennlp.tools.langdetect.LanguageDetectorME;

/**
 * How OpenNLP's detector does on the real-language corpus, per script and per language: the
 * measurements behind {@code DetectLanguage}'s thresholds. For each script, the confidence quantiles of
 * correct and wrong answers of {@code predictLanguage} (what the pipe uses) and the accuracy at candidate
 * thresholds; the most frequent confusions; and the speed and accuracy of OpenNLP's probing detector beside it.
 * Run: {@code DDP_MAIN_CLASS=io.ddp.examples.bench.LangidStudy ./ddp [documents [tune|held-out]]}.
 */
public final class LangidStudy {
  private LangidStudy() {}

  record Answer(String truth, String script, String lang, double confidence) {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
    LangidCorpus.Half half = args.length > 1 ? LangidCorpus.Half.valueOf(args[1].toUpperCase(Locale.ROOT).replace('-', '_'))
        : LangidCorpus.Half.TUNE;
    // Originals only, every language equally often: the thresholds must hold for small languages too.
    List<CorpusGenerator.Doc> docs = new ArrayList<>();
    for (Iterator<CorpusGenerator.Doc> it = new LangidCorpus(new LangidCorpus.Settings(n, 5, 1020, 0, 0, half)).uniform(); it.hasNext();) {
      docs.add(it.next());
    }
    List<String> texts = docs.stream().map(d -> NormalizeText.normalize(d.text())).toList();
    LanguageDetectorME detector = new LanguageDetectorME(DetectLanguage.model());
    // Warm-up, then time both ways of asking.
    for (int i = 0; i < Math.min(2000, texts.size()); i++) {
      detector.predictLanguage(cut(texts.get(i)));
      detector.probingPredictLanguages(cut(texts.get(i)));
    }
    LanguageDetectorConfig probing = new LanguageDetectorConfig();
    long t0 = System.nanoTime();
    List<Answer> answers = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Language best = detector.predictLanguage(cut(texts.get(i)));
      answers.add(new Answer(docs.get(i).lang(), LanguageCodes.script(texts.get(i)), LanguageCodes.iso(best.getLang()), best.getConfidence()));
    }
    double plain = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    int agree = 0;
    int plainRight = 0;
    int probeRight = 0;
    int known = 0;
    for (int i = 0; i < texts.size(); i++) {
      Language best = detector.probingPredictLanguages(cut(texts.get(i)), probing).languages()[0];
      String lang = LanguageCodes.iso(best.getLang());
      agree += lang.equals(answers.get(i).lang()) ? 1 : 0;
      if (LanguageCodes.supported(answers.get(i).truth())) {
        known++;
        probeRight += lang.equals(answers.get(i).truth()) ? 1 : 0;
        plainRight += answers.get(i).lang().equals(answers.get(i).truth()) ? 1 : 0;
      }
    }
    double probe = (System.nanoTime() - t1) / 1e9;
    System.out.printf(Locale.ROOT, "%d documents (%s half), mean %.0f chars: predictLanguage %.0f docs/s, accuracy %.4f; probing %.0f"
        + " docs/s, accuracy %.4f; same answer for %.4f (accuracy: best guess, over the model's languages)%n", texts.size(), half,
        texts.stream().mapToInt(String::length).average().orElse(0), texts.size() / plain, (double) plainRight / known,
        texts.size() / probe, (double) probeRight / known, (double) agree / texts.size());

    // Speed alone, alternating (the first loop after start-up is slower whatever it runs): best of three each.
    double bestPlain = Double.MAX_VALUE;
    double bestProbe = Double.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long s0 = System.nanoTime();
      for (String t : texts) {
        detector.predictLanguage(cut(t));
      }
      bestPlain = Math.min(bestPlain, (System.nanoTime() - s0) / 1e9);
      long s1 = System.nanoTime();
      for (String t : texts) {
        detector.probingPredictLanguages(cut(t), probing);
      }
      bestProbe = Math.min(bestProbe, (System.nanoTime() - s1) / 1e9);
    }
    System.out.printf(Locale.ROOT, "speed, best of 3 alternating rounds on one thread: predictLanguage %.0f docs/s, probing %.0f docs/s%n",
        texts.size() / bestPlain, texts.size() / bestProbe);

    Map<String, List<Answer>> byScript = new TreeMap<>();
    answers.stream().filter(a -> LanguageCodes.supported(a.truth())).forEach(a -> byScript.computeIfAbsent(a.script(), k -> new ArrayList<>()).add(a));
    System.out.printf(Locale.ROOT, "%n%-12s %7s %8s %10s %10s %10s | accuracy (und counts wrong) at minConfidence%n", "script", "docs",
        "correct", "ok p01", "ok p05", "wrong p50");
    double[] thresholds = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    for (Map.Entry<String, List<Answer>> e : byScript.entrySet()) {
      List<Answer> as = e.getValue();
      double[] ok = as.stream().filter(a -> a.lang().equals(a.truth())).mapToDouble(Answer::confidence).sorted().toArray();
      double[] wrong = as.stream().filter(a -> !a.lang().equals(a.truth())).mapToDouble(Answer::confidence).sorted().toArray();
      StringBuilder accs = new StringBuilder();
      for (double t : thresholds) {
        long right = as.stream().filter(a -> a.lang().equals(a.truth()) && a.confidence() >= t).count();
        accs.append(String.format(Locale.ROOT, " %.1f:%.4f", t, (double) right / as.size()));
      }
      System.out.printf(Locale.ROOT, "%-12s %7d %8.4f %10.3f %10.3f %10.3f |%s%n", e.getKey(), as.size(), (double) ok.length / as.size(),
          q(ok, 0.01), q(ok, 0.05), q(wrong, 0.5), accs);
    }
    Map<String, Integer> confusions = new TreeMap<>();
    Map<String, int[]> perLanguage = new TreeMap<>();
    for (Answer a : answers) {
      int[] c = perLanguage.computeIfAbsent(a.truth(), k -> new int[2]);
      c[1]++;
      if (a.lang().equals(a.truth())) {
        c[0]++;
      } else {
        confusions.merge(a.truth() + "->" + a.lang(), 1, Integer::sum);
      }
    }
    System.out.println("\nmost frequent confusions (truth->detected: documents)");
    confusions.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(25)
        .forEach(c -> System.out.printf(Locale.ROOT, "  %s: %d%n", c.getKey(), c.getValue()));
    System.out.println("\nper language (best guess, no threshold): accuracy");
    StringBuilder line = new StringBuilder();
    perLanguage.forEach((lang, c) -> line.append(String.format(Locale.ROOT, "%s%s %.3f  ", lang,
        LanguageCodes.supported(lang) ? "" : "*", (double) c[0] / c[1])));
    System.out.println(line + "\n(* not a language of the model)");
  }

  private static String cut(String text) {
    return text.length() > 2000 ? text.substring(0, 2000) : text;
  }

  private static double q(double[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }
}
