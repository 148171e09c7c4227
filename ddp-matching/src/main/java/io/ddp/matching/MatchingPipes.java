package io.ddp.matching;

import io.ddp.core.pipe.PipeProvider;
import io.ddp.core.pipe.PipeRegistration;
import java.util.List;

/** Registers the record-matching pipes. */
public final class MatchingPipes implements PipeProvider {
  @Override
  public List<PipeRegistration> pipes() {
    return List.of(
        new PipeRegistration("Standardize", Standardize.class, "Values in one form: case, accents, punctuation, digits, nicknames, dates"),
        new PipeRegistration("Block", Block.class, "Candidate pairs by blocking keys: exact, phonetic, sorted neighbourhood, MinHash and hyperplane LSH"),
        new PipeRegistration("ScorePairs", ScorePairs.class, "Scores candidate pairs by declared per-field comparators and weights; keeps the matches"),
        new PipeRegistration("LinkEntities", LinkEntities.class, "Matched pairs to entity ids: connected components (large-star / small-star)"));
  }
}
