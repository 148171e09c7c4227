/**
 * The paper's language-detection pipeline as pipes: normalize, detect, exact and near
 * deduplication, and a corpus generator.
 */
package io.ddp.examples.langdetect;
