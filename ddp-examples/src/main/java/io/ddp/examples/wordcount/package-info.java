/**
 * A user's first pipeline: split lines of text into words and count them ({@code pipelines/wordcount.json}).
 * Two small pipes, the shape of the "few rows, run it again" loop that {@code ddp run --timings} and the
 * fast-feedback benchmark measure.
 */
package io.ddp.examples.wordcount;
