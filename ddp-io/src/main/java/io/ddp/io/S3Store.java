package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.EncryptionMode;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.s3a.S3AEncryptionMethods;
import org.apache.hadoop.fs.s3a.S3AFileSystem;

/**
 * Amazon S3 and S3-compatible stores through Hadoop's s3a connector ({@code s3a://bucket/path}).
 * Options, all optional, set for the location's bucket only ({@code fs.s3a.bucket.BUCKET.*}), so that
 * datasets in different buckets can use different endpoints and credentials:
 *
 * <ul>
 *   <li>{@code s3.endpoint}: e.g. {@code http://127.0.0.1:9000} for an S3-compatible server;
 *   <li>{@code s3.region};
 *   <li>{@code s3.pathStyleAccess}: {@code true} for servers without virtual-host buckets;
 *   <li>{@code s3.accessKey}, {@code s3.secretKey}, {@code s3.sessionToken}: static credentials
 *       (write them as {@code ${env:...}}); without them the AWS default chain applies (environment,
 *       profile, instance or container role).
 * </ul>
 *
 * <p>A dataset's {@code "encryption": {"mode": "sse", ...}} becomes the bucket's
 * {@code fs.s3a.bucket.BUCKET.encryption.algorithm} (and {@code .encryption.key} for SSE-KMS): S3
 * then encrypts every object DDP writes there, staging and commit copies included.
 */
public final class S3Store implements DatasetStore {
  static final List<String> KEYS = List.of("s3.endpoint", "s3.region", "s3.pathStyleAccess", "s3.accessKey", "s3.secretKey",
      "s3.sessionToken");

  @Override
  public Set<String> schemes() {
    return Set.of("s3a");
  }

  @Override
  public String optionPrefix() {
    return "s3.";
  }

  @Override
  public void configure(Configuration conf, DataDeclare data) {
    String bucket = bucket(data.location());
    if (bucket == null) {
      return;
    }
    String p = "fs.s3a.bucket." + bucket + ".";
    Map<String, String> o = data.options();
    if (o.containsKey("s3.endpoint")) {
      String endpoint = o.get("s3.endpoint");
      conf.set(p + "endpoint", endpoint);
      conf.set(p + "connection.ssl.enabled", String.valueOf(!endpoint.startsWith("http://")));
    }
    if (o.containsKey("s3.region")) {
      conf.set(p + "endpoint.region", o.get("s3.region"));
    }
    if (o.containsKey("s3.pathStyleAccess")) {
      conf.set(p + "path.style.access", o.get("s3.pathStyleAccess"));
    }
    EncryptionDeclare e = data.encryption();
    if (e != null && e.mode() == EncryptionMode.SSE) {
      // S3A applies server-side encryption per file system instance, i.e. per bucket: the validator
      // makes sure datasets sharing a bucket do not declare different encryption.
      conf.set(p + "encryption.algorithm", e.algorithm());
      if (e.kmsKeyId() != null) {
        conf.set(p + "encryption.key", e.kmsKeyId());
      } else {
        conf.unset(p + "encryption.key");
      }
    }
    if (o.containsKey("s3.accessKey")) {
      conf.set(p + "access.key", o.get("s3.accessKey"));
      conf.set(p + "secret.key", o.getOrDefault("s3.secretKey", ""));
      if (o.containsKey("s3.sessionToken")) {
        conf.set(p + "session.token", o.get("s3.sessionToken"));
        conf.set(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider");
      } else {
        conf.set(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      }
    }
  }

  /**
   * Makes sure the s3a file system that will write {@code data} applies its declared server-side
   * encryption. Hadoop caches one file system per bucket; one made before DDP configured the bucket
   * (e.g. by an earlier run in this JVM) is closed so that the next one reads the settings.
   */
  @Override
  public void beforeWrite(DataDeclare data, Configuration conf) {
    EncryptionDeclare e = data.encryption();
    if (e == null || e.mode() != io.ddp.core.model.EncryptionMode.SSE) {
      return;
    }
    // Hadoop's Path quotes what java.net.URI rejects: S3 keys may hold '&', '{', '|' and more.
    URI uri = new org.apache.hadoop.fs.Path(data.location()).toUri();
    try {
      FileSystem fs = FileSystem.get(uri, conf);
      if (!(fs instanceof S3AFileSystem) || applies((S3AFileSystem) fs, e)) {
        return;
      }
      fs.close();
      fs = FileSystem.get(uri, conf);
      if (fs instanceof S3AFileSystem && !applies((S3AFileSystem) fs, e)) {
        throw new DdpException("Cannot write dataset '" + data.dataId() + "' with server-side encryption " + e.algorithm()
            + ": the s3a file system of bucket " + uri.getHost() + " uses " + ((S3AFileSystem) fs).getS3EncryptionAlgorithm().getMethod()
            + "; remove fs.s3a.encryption.* or fs.s3a.bucket." + uri.getHost() + ".encryption.* settings that contradict the declaration");
      }
    } catch (java.io.IOException ex) {
      throw new DdpException("Cannot write dataset '" + data.dataId() + "': cannot reach " + data.location() + ": " + ex.getMessage(), ex);
    }
  }

  private static boolean applies(S3AFileSystem fs, EncryptionDeclare e) {
    S3AEncryptionMethods method = fs.getS3EncryptionAlgorithm();
    String key = fs.getEncryptionSecrets() == null ? null : fs.getEncryptionSecrets().getEncryptionKey();
    return method.getMethod().equals(e.algorithm()) && (e.kmsKeyId() == null || e.kmsKeyId().equals(key));
  }

  @Override
  public void check(DataDeclare data, String pointer, Problems problems) {
    String subject = "dataset '" + data.dataId() + "'";
    for (String key : data.options().keySet()) {
      if (key.startsWith("s3.") && !KEYS.contains(key)) {
        problems.error(pointer + "/options", subject, "unknown S3 option \"" + key + "\"" + Suggestions.didYouMean(key, KEYS)
            + "; S3 options are " + String.join(", ", KEYS));
      }
    }
    if (data.options().containsKey("s3.accessKey") != data.options().containsKey("s3.secretKey")) {
      problems.error(pointer + "/options", subject, "give both \"s3.accessKey\" and \"s3.secretKey\", or neither to use the AWS default chain");
    }
    String bucket = bucket(data.location());
    if (bucket == null || bucket.isEmpty()) {
      problems.error(pointer + "/location", subject, "an s3a location names a bucket: s3a://BUCKET/path");
    }
  }

  @Override
  public boolean encryptsServerSide() {
    return true;
  }

  /** S3A applies settings per bucket: datasets in one bucket must not ask for different server-side encryption. */
  @Override
  public void checkTogether(List<DataDeclare> datasets, Function<DataDeclare, String> pointerOf, Problems problems) {
    Map<String, DataDeclare> sseByBucket = new LinkedHashMap<>();
    for (DataDeclare d : datasets) {
      String bucket = bucket(d.location());
      if (bucket != null && d.encryption() != null && d.encryption().mode() == EncryptionMode.SSE) {
        DataDeclare first = sseByBucket.putIfAbsent(bucket, d);
        if (first != null && !(Objects.equals(first.encryption().algorithm(), d.encryption().algorithm())
            && Objects.equals(first.encryption().kmsKeyId(), d.encryption().kmsKeyId()))) {
          problems.error(pointerOf.apply(d) + "/encryption", Subjects.dataset(d.dataId()), "datasets '"
              + first.dataId() + "' and '" + d.dataId() + "' are both in bucket " + bucket + " but declare different server-side"
              + " encryption; S3A applies it per bucket, so declare the same on both or put them in separate buckets");
        }
      }
    }
    for (DataDeclare d : datasets) {
      String bucket = bucket(d.location());
      DataDeclare sse = bucket == null ? null : sseByBucket.get(bucket);
      if (sse != null && (d.encryption() == null || d.encryption().mode() != EncryptionMode.SSE)) {
        problems.warning(pointerOf.apply(d) + "/location", Subjects.dataset(d.dataId()), "shares bucket " + bucket
            + " with '" + sse.dataId() + "', which declares server-side encryption " + sse.encryption().algorithm()
            + "; S3A applies it per bucket, so what DDP writes here is encrypted the same way");
      }
    }
  }

  /**
   * The bucket of an {@code s3a://BUCKET/key} location, read from the text: S3 keys may hold
   * characters that {@code java.net.URI} rejects ({@code &}, braces, {@code |}), so no URI is parsed.
   * Null when the location has no {@code scheme://} or no bucket.
   */
  static String bucket(String location) {
    int scheme = location.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    String rest = location.substring(scheme + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    return bucket.isEmpty() ? null : bucket;
  }
}
