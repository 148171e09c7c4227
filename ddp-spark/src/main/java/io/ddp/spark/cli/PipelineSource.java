package io.ddp.spark.cli;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.json.PipelineReader;
import io.ddp.io.InputCheck;
import io.ddp.spark.exec.DriverFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where a pipeline file is, as given on the command line: a local path ({@code pipelines/p.json},
 * {@code file:///...}, or Kubernetes' {@code local:///...} for a file inside the image), or a URI that
 * Hadoop reads ({@code s3a://bucket/p.json}, {@code hdfs:///p.json}, {@code abfs://...}), so that a
 * driver in cluster mode on EMR, Glue or YARN reads it where it is stored, without copying it by hand.
 *
 * @param location the argument as given (messages name it so)
 * @param local the local file, when it is one
 */
record PipelineSource(String location, Optional<Path> local) {
  static PipelineSource of(String location) {
    return new PipelineSource(location, DriverFiles.localPath(location));
  }

  /** Names the file the same way however it was given: an absolute path, or the URI. */
  String identity() {
    return local.map(p -> p.toAbsolutePath().normalize().toString()).orElse(location);
  }

  /**
   * Reads and parses the file with {@code --var} overrides; a remote file is read through Hadoop with
   * the {@code spark.hadoop.*} settings of spark-submit and of {@code sparkConf} (the command's {@code --conf}).
   */
  PipelineReader.Result read(Map<String, String> vars, Map<String, String> sparkConf) {
    if (local.isPresent()) {
      return PipelineReader.read(local.get(), vars);
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    String text;
    try {
      FileSystem fs = path.getFileSystem(hadoopConf(sparkConf));
      try (InputStream in = fs.open(path)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (FileNotFoundException e) {
      throw new DdpException("Cannot read pipeline " + location + ": no such file");
    } catch (IOException | RuntimeException e) {
      throw new DdpException("Cannot read pipeline " + location + ": " + e.getMessage() + " (it is read through Hadoop's "
          + "FileSystem: its connector jar and credentials must be on the driver, e.g. hadoop-aws for s3a://)", e);
    }
    org.apache.hadoop.fs.Path parent = path.getParent();
    return PipelineReader.read(text, location, parent == null ? location : parent.toString(), vars);
  }

  /** spark-submit's settings (system properties {@code spark.*}) and the command's own {@code --conf}. */
  static Configuration hadoopConf(Map<String, String> sparkConf) {
    Map<String, String> all = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> {
      if (k.toString().startsWith("spark.hadoop.")) {
        all.put(k.toString(), v.toString());
      }
    });
    all.putAll(sparkConf);
    return InputCheck.hadoopConf(all);
  }
}
