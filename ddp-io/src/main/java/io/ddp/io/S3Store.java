package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

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
    String bucket = URI.create(data.location().replace(" ", "%20")).getHost();
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
    String bucket = URI.create(data.location().replace(" ", "%20")).getHost();
    if (bucket == null || bucket.isEmpty()) {
      problems.error(pointer + "/location", subject, "an s3a location names a bucket: s3a://BUCKET/path");
    }
  }
}
