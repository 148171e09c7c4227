/**
 * Scopes: objects a pipe needs once per executor JVM (a model, a client), created lazily and
 * shared by its tasks.
 */
package io.ddp.spark.scope;
