/**
 * The quickstart pipeline's pipes: preprocess, features (MiniLM through ONNX Runtime), prediction,
 * post-processing.
 */
package io.ddp.examples.quickstart;
