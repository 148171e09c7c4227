package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.WriteMode;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a dataset's quarantined rows go (malformed rows of a csv or json source, rows of its
 * {@code quarantine} expectations): the dataset its {@code quarantine} names, else JSON lines beside
 * its location ({@code LOCATION_quarantine}), replaced by every run that quarantines rows.
 */
public final class QuarantineTarget {
  private QuarantineTarget() {}

  /**
   * @param data the dataset whose rows are put aside
   * @param declared the pipeline's datasets by dataId
   */
  public static DataDeclare of(DataDeclare data, Function<String, Optional<DataDeclare>> declared) {
    if (data.quarantine() != null) {
      return declared.apply(data.quarantine()).orElseThrow(() -> new DdpException(
          "Cannot quarantine rows of '" + data.dataId() + "': dataset '" + data.quarantine() + "' is not declared"));
    }
    if (!data.hasLocation()) {
      throw new DdpException("Cannot quarantine rows of '" + data.dataId() + "': it has no location to put them beside;"
          + " declare \"quarantine\": \"<dataId of a dataset with a location>\"");
    }
    String base = data.location().replaceAll("/+$", "");
    return DataDeclare.builder(data.dataId() + "_quarantine").location(base + "_quarantine").format("json")
        .mode(WriteMode.OVERWRITE).build();
  }
}
