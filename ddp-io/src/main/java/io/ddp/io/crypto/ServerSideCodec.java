package io.ddp.io.crypto;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.validate.Problems;
import io.ddp.core.validate.Subjects;
import org.apache.spark.sql.types.StructType;

/** {@code "mode": "sse"}: the store encrypts (S3: SSE-S3 or SSE-KMS, set on the bucket's file system); DDP only checks the store can. */
final class ServerSideCodec implements EncryptionCodec {
  static final ServerSideCodec INSTANCE = new ServerSideCodec();

  private ServerSideCodec() {}

  @Override
  public void check(DataDeclare d, StructType declared, boolean storeEncrypts, String at, Problems problems) {
    EncryptionDeclare e = d.encryption();
    String subject = Subjects.dataset(d.dataId());
    if (d.hasLocation() && !storeEncrypts) {
      problems.error(at, subject, "server-side encryption (mode sse) is done by the store, and this location's store does not"
          + " (S3 does: s3a://); for other stores use mode \"dataset\" (Parquet files) or \"record\"");
    }
  }
}
