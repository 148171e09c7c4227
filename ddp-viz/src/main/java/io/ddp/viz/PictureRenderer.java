package io.ddp.viz;

import guru.nidi.graphviz.engine.Format;
import guru.nidi.graphviz.engine.Graphviz;
import guru.nidi.graphviz.engine.GraphvizCmdLineEngine;
import io.ddp.core.exceptions.DdpException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Writes a picture by the output file's extension: {@code .dot} as text (no Graphviz needed),
 * {@code .svg} and {@code .png} through graphviz-java's command-line engine, i.e. Graphviz's
 * {@code dot}. Files are replaced atomically, so a viewer never sees half a picture.
 */
public final class PictureRenderer {
  private static volatile Boolean dotAvailable;
  private static volatile String dotCommand = "dot";

  /** Tests point this at a command that does not exist to see what users without Graphviz see. */
  static void useDotCommand(String command) {
    dotCommand = command;
    dotAvailable = null;
  }

  private PictureRenderer() {}

  public static void render(String dot, Path out) {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      Path abs = out.toAbsolutePath();
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
      if (name.endsWith(".dot") || name.endsWith(".gv")) {
        Files.writeString(tmp, dot, StandardCharsets.UTF_8);
      } else if (name.endsWith(".svg") || name.endsWith(".png")) {
        requireDot(name.substring(name.lastIndexOf('.') + 1));
        Format format = name.endsWith(".svg") ? Format.SVG : Format.PNG;
        synchronized (PictureRenderer.class) {
          Graphviz.useEngine(new GraphvizCmdLineEngine().timeout(120, TimeUnit.SECONDS));
          Graphviz.fromString(dot).render(format).toFile(tmp.toFile());
        }
      } else {
        throw new DdpException("Cannot draw " + out + ": use a .svg, .png or .dot file");
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DdpException("Cannot write picture " + out + ": " + e.getMessage(), e);
    } catch (DdpException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DdpException("Cannot render picture " + out + " with Graphviz: " + e.getMessage(), e);
    }
  }

  /** Whether Graphviz's {@code dot} command can be run. */
  public static boolean dotAvailable() {
    if (dotAvailable == null) {
      try {
        Process p = new ProcessBuilder(dotCommand, "-V").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        dotAvailable = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        dotAvailable = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dotAvailable = false;
      }
    }
    return dotAvailable;
  }

  private static void requireDot(String format) {
    if (!dotAvailable()) {
      throw new DdpException("Cannot render " + format + ": the Graphviz 'dot' command is not installed or not on the PATH;"
          + " install Graphviz (apt-get install graphviz, brew install graphviz, choco install graphviz) or write a .dot file");
    }
  }
}
