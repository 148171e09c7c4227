/**
 * Record matching as pipes: {@link io.ddp.matching.Standardize} values, {@link io.ddp.matching.Block}
 * them into candidate pairs, {@link io.ddp.matching.ScorePairs} by declared rules, and
 * {@link io.ddp.matching.LinkEntities} into entities; the comparators in {@link io.ddp.matching.Comparators}.
 */
package io.ddp.matching;
