/**
 * The JSON contract: reading a pipeline file (with variables resolved) into declarations, and
 * keeping each element's line and column ({@link io.ddp.core.validate.SourceMap}) so every problem can
 * point at the file.
 */
package io.ddp.core.json;
