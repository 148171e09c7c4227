package io.ddp.examples.langdetect;

import opennlp.tools.langdetect.LanguageDetectorModel;

/** The example pipes' logic as plain functions, so that the benchmark's baselines run exactly the same code. */
public final class LangdetectFunctions {
  private LangdetectFunctions() {}

  public static String normalize(String text) {
    return NormalizeText.normalize(text);
  }

  private static volatile LanguageDetectorModel model;

  /** The OpenNLP langdetect model, loaded once per JVM. */
  public static LanguageDetectorModel model() {
    if (model == null) {
      synchronized (LangdetectFunctions.class) {
        if (model == null) {
          model = DetectLanguage.loadModel();
        }
      }
    }
    return model;
  }

  /** The DetectLanguage pipe's rule for one text: {@code [lang, confidence]}. */
  public static Object[] detect(opennlp.tools.langdetect.LanguageDetectorME detector, String text, double minConfidence, int minLength) {
    DetectLanguage.Detection d = DetectLanguage.classify(detector, text, minConfidence, minLength);
    return new Object[] {d.lang(), d.confidence()};
  }
}
