/**
 * Encryption of datasets: Parquet modular encryption per dataset, per-record keys ({@link
 * io.ddp.io.crypto.RecordEncryption}), and the key services that wrap keys (local, AWS KMS).
 */
package io.ddp.io.crypto;
