package io.ddp.examples.langdetect;

import io.ddp.core.pipe.PipeProvider;
import io.ddp.core.pipe.PipeRegistration;
import java.util.List;

/** Registers the language-detection example's pipes. */
public final class LangdetectPipes implements PipeProvider {
  @Override
  public List<PipeRegistration> pipes() {
    return List.of(
        new PipeRegistration("NormalizeText", NormalizeText.class, "Unicode NFC, boilerplate lines removed, whitespace collapsed"),
        new PipeRegistration("ExactDedup", ExactDedup.class, "Marks exact duplicates by a hash of the normalised text"),
        new PipeRegistration("NearDedup", NearDedup.class, "Marks near duplicates with MinHash LSH on character shingles"),
        new PipeRegistration("DetectLanguage", DetectLanguage.class, "OpenNLP language detection, ISO 639-1 with confidence"));
  }
}
