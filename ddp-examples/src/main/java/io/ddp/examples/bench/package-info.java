/**
 * Benchmark programs: each prints ratios measured in the same run (see docs/benchmarks.md).
 */
package io.ddp.examples.bench;
