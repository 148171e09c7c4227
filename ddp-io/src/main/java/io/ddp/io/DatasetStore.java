package io.ddp.io;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.validate.Problems;
import java.util.Set;
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
}
