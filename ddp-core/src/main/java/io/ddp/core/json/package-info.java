/**
 * The JSON contract: {@link io.ddp.core.json.PipelineReader} reads a pipeline file (with variables
 * resolved) into declarations, one reader per element (data, encryption, pipe, metric,
 * metricsConfig), each owning its keys, and records each element's line and column so every problem
 * can point at the file.
 */
package io.ddp.core.json;
