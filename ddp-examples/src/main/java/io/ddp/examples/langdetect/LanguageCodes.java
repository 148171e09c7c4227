package io.ddp.examples.langdetect;

import java.lang.Character.UnicodeScript;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The codes {@link DetectLanguage} emits and the script of a text. OpenNLP's model names its 103
 * languages with ISO 639-3 codes; DDP emits ISO 639-1 where the language has one ({@code he}, {@code
 * id}, never Java's legacy {@code iw}/{@code in}), and the ISO 639-3 code where it has none ({@code
 * ast}, {@code ceb}, {@code nan}...). Individual languages that the model keeps apart from their
 * macrolanguage take the macrolanguage's 639-1 code (Mandarin {@code cmn} is {@code zh}, Standard
 * Estonian {@code ekk} is {@code et}, Iranian Persian {@code pes} is {@code fa}, Standard Latvian
 * {@code lvs} is {@code lv}, Plateau Malagasy {@code plt} is {@code mg}). The table is explicit, so
 * the output never depends on the JVM's locale data.
 */
public final class LanguageCodes {
  private LanguageCodes() {}

  /** OpenNLP langdetect-183's codes to the codes DDP emits. */
  public static final Map<String, String> OPENNLP = table(
      "afr af ara ar ast ast aze az bak ba bel be ben bn bos bs bre br bul bg cat ca ceb ceb ces cs che ce cmn zh cym cy"
      + " dan da deu de ekk et ell el eng en epo eo est et eus eu fao fo fas fa fin fi fra fr fry fy gle ga glg gl gsw gsw"
      + " guj gu heb he hin hi hrv hr hun hu hye hy ind id isl is ita it jav jv jpn ja kan kn kat ka kaz kk kir ky kor ko"
      + " lat la lav lv lim li lit lt ltz lb lvs lv mal ml mar mr min min mkd mk mlt mt mon mn mri mi msa ms nan nan nds nds"
      + " nep ne nld nl nno nn nob nb oci oc pan pa pes fa plt mg pnb pnb pol pl por pt pus ps ron ro rus ru san sa sin si"
      + " slk sk slv sl som so spa es sqi sq srp sr sun su swa sw swe sv tam ta tat tt tel te tgk tg tgl tl tha th tur tr"
      + " ukr uk urd ur uzb uz vie vi vol vo war war zul zu");

  /** Every code DDP can emit for a detected language. */
  public static final Set<String> EMITTED = Set.copyOf(OPENNLP.values());

  /** The code DDP emits for an OpenNLP code (the code itself if the table does not know it). */
  public static String iso(String opennlp) {
    return OPENNLP.getOrDefault(opennlp, opennlp);
  }

  /** Whether the model can name this language (an emitted code). */
  public static boolean supported(String code) {
    return EMITTED.contains(code);
  }

  /**
   * The script most of the text's letters are in, from its first 1,000 characters: a Unicode script
   * name ({@code LATIN}, {@code CYRILLIC}, {@code ARABIC}, {@code HAN}...), {@code KANA} for Japanese
   * (any hiragana or katakana among Han), or {@code NONE} without letters.
   */
  public static String script(String text) {
    Map<UnicodeScript, Integer> counts = new java.util.EnumMap<>(UnicodeScript.class);
    int end = Math.min(text.length(), 1000);
    for (int i = 0; i < end; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        counts.merge(UnicodeScript.of(cp), 1, Integer::sum);
      }
    }
    int kana = counts.getOrDefault(UnicodeScript.HIRAGANA, 0) + counts.getOrDefault(UnicodeScript.KATAKANA, 0);
    int han = counts.getOrDefault(UnicodeScript.HAN, 0);
    if (kana > 0 && kana + han >= counts.values().stream().mapToInt(Integer::intValue).max().orElse(0)) {
      return "KANA";
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name()).orElse("NONE");
  }

  private static Map<String, String> table(String pairs) {
    String[] p = pairs.trim().split("\\s+");
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i += 2) {
      m.put(p[i], p[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
