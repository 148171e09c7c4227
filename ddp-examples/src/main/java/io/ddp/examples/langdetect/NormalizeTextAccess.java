package io.ddp.examples.langdetect;

import opennlp.tools.langdetect.LanguageDetectorModel;

/** The example pipes' logic as plain functions, so that the benchmark's baselines run exactly the same code. */
public final class NormalizeTextAccess {
  private NormalizeTextAccess() {}

  public static String normalize(String text) {
    return NormalizeText.normalize(text);
  }

  private static volatile LanguageDetectorModel model;

  /** The OpenNLP langdetect model, loaded once per JVM. */
  public static LanguageDetectorModel model() {
    if (model == null) {
      synchronized (NormalizeTextAccess.class) {
        if (model == null) {
          model = DetectLanguage.loadModel();
        }
      }
    }
    return model;
  }

  public static String iso1(String iso3) {
    return DetectLanguage.iso1(iso3);
  }
}
