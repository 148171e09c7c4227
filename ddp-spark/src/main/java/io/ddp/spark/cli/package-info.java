/**
 * The {@code ddp} command line: run (with resume, dry run and a run session), validate, plan, viz,
 * pipes, new.
 */
package io.ddp.spark.cli;
