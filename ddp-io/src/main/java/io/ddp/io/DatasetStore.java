package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.validate.Problems;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * A storage system chosen by the URI scheme of a dataset's {@code "location"} ({@code s3a://...}).
 * It turns the dataset's store options (endpoint, region, credentials) into the Hadoop settings that
 * Spark's file system layer reads, scoped to that location where the file system allows (per bucket
 * for s3a). Implement it and list the class in {@code META-INF/services/io.ddp.io.DatasetStore}.
 * Locations without a registered store (local paths, {@code file://}, {@code hdfs://}) go straight to
 * Hadoop with its default configuration.
 */
public interface DatasetStore {
  /** URI schemes this store serves, lower case, e.g. {@code s3a}. */
  Set<String> schemes();

  /** The prefix of the option keys this store consumes, e.g. {@code s3.}; formats never see them. */
  String optionPrefix();

  /** Applies the dataset's store options to the Hadoop configuration before it is read or written. */
  void configure(Configuration conf, DataDeclare data);

  /** Static checks of the store options; report into {@code problems}, never throw. */
  default void check(DataDeclare data, String pointer, Problems problems) {}

  /**
   * Whether the store itself can encrypt what is written ({@code "encryption": {"mode": "sse"}});
   * datasets on other stores are told to use the dataset or record modes.
   */
  default boolean encryptsServerSide() {
    return false;
  }

  /**
   * Static checks of the pipeline's datasets on this store taken together (S3: server-side encryption
   * applies per bucket, so datasets sharing a bucket must agree on it); report into {@code problems}.
   *
   * @param datasets the datasets whose location this store serves, in declaration order
   * @param pointerOf the JSON pointer of each of them
   */
  default void checkTogether(List<DataDeclare> datasets, Function<DataDeclare, String> pointerOf, Problems problems) {}

  /**
   * Called just before a dataset is written to this store, after {@link #configure}: make sure the
   * declared store-side settings (e.g. server-side encryption) will apply, or throw a
   * {@code DdpException} naming the dataset and what to change.
   */
  default void beforeWrite(DataDeclare data, Configuration conf) {}
}
