package io.ddp.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Amazon CloudWatch through the AWS SDK v2 {@link CloudWatchAsyncClient} ({@code PutMetricData}).
 * Settings: {@code namespace} (default {@code DDP}), {@code region}, {@code endpoint} (for a
 * CloudWatch-compatible endpoint), {@code accessKey}/{@code secretKey} (else the AWS default chain),
 * {@code timeoutSeconds} per call (default 10). Batches respect the API's limits: at most 1000
 * data and 30 dimensions each; non-finite values are skipped.
 */
public final class CloudWatchSink implements MetricSink {
  /** Most data per {@code PutMetricData} call. */
  static final int MAX_DATA = 1000;
  /** Most dimensions per datum. */
  static final int MAX_DIMENSIONS = 30;

  private final CloudWatchAsyncClient client;
  private final String namespace;
  private final Duration timeout;

  CloudWatchSink(CloudWatchAsyncClient client, String namespace, Duration timeout) {
    this.client = client;
    this.namespace = namespace;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "cloudwatch " + namespace;
  }

  @Override
  public void publish(List<io.ddp.metrics.MetricDatum> batch) throws Exception {
    List<MetricDatum> data = new ArrayList<>();
    for (io.ddp.metrics.MetricDatum d : batch) {
      if (!Double.isFinite(d.value())) {
        continue;
      }
      List<Dimension> dims = new ArrayList<>();
      for (Map.Entry<String, String> e : d.dimensions().entrySet()) {
        if (dims.size() == MAX_DIMENSIONS) {
          break;
        }
        String value = e.getValue() == null || e.getValue().isEmpty() ? "(empty)" : truncate(e.getValue(), 1024);
        dims.add(Dimension.builder().name(truncate(e.getKey(), 255)).value(value).build());
      }
      data.add(MetricDatum.builder().metricName(truncate(d.name(), 255)).value(d.value()).unit(unit(d.unit()))
          .timestamp(d.timestamp()).dimensions(dims).build());
    }
    for (int i = 0; i < data.size(); i += MAX_DATA) {
      List<MetricDatum> chunk = data.subList(i, Math.min(data.size(), i + MAX_DATA));
      client.putMetricData(r -> r.namespace(namespace).metricData(chunk)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static StandardUnit unit(String unit) {
    StandardUnit u = StandardUnit.fromValue(unit);
    return u == null || u == StandardUnit.UNKNOWN_TO_SDK_VERSION ? StandardUnit.NONE : u;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** Makes {@link CloudWatchSink}s from their settings. */
  public static final class Factory implements MetricSinkFactory {
    @Override
    public String type() {
      return "cloudwatch";
    }

    @Override
    public MetricSink create(Map<String, String> settings) {
      Duration timeout = Duration.ofSeconds(Long.parseLong(settings.getOrDefault("timeoutSeconds", "10")));
      CloudWatchAsyncClientBuilder b = CloudWatchAsyncClient.builder()
          .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(timeout).build());
      if (settings.containsKey("region")) {
        b.region(Region.of(settings.get("region")));
      }
      if (settings.containsKey("endpoint")) {
        b.endpointOverride(URI.create(settings.get("endpoint")));
      }
      if (settings.containsKey("accessKey")) {
        b.credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.get("accessKey"), settings.getOrDefault("secretKey", ""))));
      } else {
        b.credentialsProvider(DefaultCredentialsProvider.create());
      }
      return new CloudWatchSink(b.build(), settings.getOrDefault("namespace", "DDP"), timeout);
    }
  }
}
