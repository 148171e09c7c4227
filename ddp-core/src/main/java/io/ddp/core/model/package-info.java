/**
 * The declarations, as immutable records: datasets ({@link io.ddp.core.model.DataDeclare}), pipes
 * ({@link io.ddp.core.model.TransformerDeclare}, the JSON's "transformers"), metrics, and the
 * pipeline that holds them.
 */
package io.ddp.core.model;
