/**
 * The pipes DDP ships: {@code sql} and {@code OnnxModel}.
 */
package io.ddp.spark.pipes;
