/**
 * Test fixtures with no DDP dependency: one shared SparkSession per JVM (a JUnit 5 extension) and
 * DataFrame assertions.
 */
package io.ddp.testing;
