package io.ddp.ml.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a declared model location into a local file on this JVM: {@code classpath:NAME} is copied
 * out of the jar once, a local path is used as is. Any other URI ({@code s3a://}, {@code hdfs://}) is
 * remote: the platform fetches it (Spark: the {@code OnnxModel} pipe distributes it with
 * {@code addFile} and passes its own resolver to {@link OnnxModel#load(OnnxSpec, java.util.function.Function)}).
 */
public final class ModelFiles {
  private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

  private ModelFiles() {}

  /** Whether the location is remote (a URI other than {@code file://}), for the platform to fetch. */
  public static boolean remote(String location) {
    int sep = location.indexOf("://");
    return sep > 0 && !location.toLowerCase(Locale.ROOT).startsWith("file://");
  }

  /** The local file of a {@code classpath:}, {@code file://} or plain path location. */
  public static Path local(String location) {
    if (location.startsWith("classpath:")) {
      return EXTRACTED.computeIfAbsent(location, ModelFiles::extract);
    }
    if (remote(location)) {
      throw new IllegalArgumentException(location + " is remote; load the model through the platform that fetches it"
          + " (the OnnxModel pipe on Spark)");
    }
    return location.startsWith("file://") ? Path.of(java.net.URI.create(location)) : Path.of(location);
  }

  private static Path extract(String location) {
    String resource = location.substring("classpath:".length());
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource '" + name + "' on the class path for " + location);
      }
      Path file = Files.createTempFile("ddp-model-", "-" + name.replace('/', '_'));
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + location + " to a local file: " + e.getMessage(), e);
    }
  }

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
