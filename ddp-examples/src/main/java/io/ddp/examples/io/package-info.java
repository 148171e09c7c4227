/**
 * An example of a dataset format plugged in through the DatasetFormat SPI.
 */
package io.ddp.examples.io;
