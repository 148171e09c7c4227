/**
 * Encryption of datasets, one {@link io.ddp.io.crypto.EncryptionCodec} per mode: server-side (the
 * store encrypts), Parquet modular encryption per dataset ({@link io.ddp.io.crypto.DatasetEncryption})
 * and per-record keys ({@link io.ddp.io.crypto.RecordEncryption}); and the key services that wrap keys
 * ({@link io.ddp.io.crypto.KeyService}: local, AWS KMS, or a class of the user's). Depends on ddp-core
 * only, not on the rest of {@code io.ddp.io}.
 */
package io.ddp.io.crypto;
