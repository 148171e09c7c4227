/**
 * Reading and writing declared datasets with Spark: formats and stores behind SPIs ({@link
 * io.ddp.io.DatasetFormat}, {@link io.ddp.io.DatasetStore}), schema contracts, quarantine of
 * malformed rows, and atomic commits with locks, journals and commit markers ({@link
 * io.ddp.io.AtomicCommit}).
 */
package io.ddp.io;
