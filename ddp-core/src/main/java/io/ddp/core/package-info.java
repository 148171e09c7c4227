/**
 * DDP core: loading a pipeline file into a checked execution plan ({@link
 * io.ddp.core.PipelineLoader}). No Spark here: every module builds on this one.
 */
package io.ddp.core;
