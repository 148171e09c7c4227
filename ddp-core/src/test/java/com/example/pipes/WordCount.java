package com.example.pipes;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.Pipe;
import io.ddp.core.pipe.PipeContext;
import io.ddp.core.pipe.PipeInputs;

/** A user's pipe in a user's package, for the class-name hints of PipeTypesTest. */
public final class WordCount implements Pipe<String, NoParams, PipeContext> {
  @Override
  public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
    return inputs.only();
  }
}
