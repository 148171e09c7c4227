/**
 * ONNX Runtime models embedded in Spark executors: one session per executor JVM ({@link
 * io.ddp.ml.onnx.OnnxModel}), model files fetched and checked once.
 */
package io.ddp.ml.onnx;
