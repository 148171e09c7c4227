package io.ddp.spark.cli;

import io.ddp.core.PipelineLoader;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.Validator;
import io.ddp.spark.SparkPipe;
import java.io.PrintWriter;
import java.util.Map;

/** Reads and validates a pipeline for a command, printing every problem; no Spark is started. */
final class PipelineFile {
  private PipelineFile() {}

  static PipeTypes pipeTypes() {
    return SparkPipe.types(Thread.currentThread().getContextClassLoader());
  }

  /** The loaded pipeline; problems are printed to {@code err}, one per line. */
  static PipelineLoader.Loaded load(PipelineOptions pipeline, PrintWriter err) {
    return load(pipeline.source(), pipeline.vars, Map.of(), err);
  }

  /** The loaded pipeline; a remote file is read with {@code sparkConf}'s {@code spark.hadoop.*} settings. */
  static PipelineLoader.Loaded load(PipelineSource file, Map<String, String> vars, Map<String, String> sparkConf, PrintWriter err) {
    return load(file, vars, sparkConf, err, read -> { });
  }

  /**
   * Like {@link #load(PipelineSource, Map, Map, PrintWriter)}; {@code onRead} gets the declaration as
   * read, before it is validated (null when it could not be read), to start work that does not need
   * it valid.
   */
  static PipelineLoader.Loaded load(PipelineSource file, Map<String, String> vars, Map<String, String> sparkConf, PrintWriter err,
      java.util.function.Consumer<io.ddp.core.model.PipelineDeclare> onRead) {
    PipeTypes types = pipeTypes();
    Validator validator = Validator.withChecksFrom(types, Thread.currentThread().getContextClassLoader());
    PipelineLoader.Loaded loaded;
    try {
      io.ddp.core.json.PipelineReader.Result read = file.read(vars, sparkConf);
      onRead.accept(read.complete() && !read.hasErrors() ? read.pipeline() : null);
      loaded = PipelineLoader.validate(read, validator);
    } catch (DdpException e) {
      // An unreadable file is a usage error (exit 2), like an invalid one.
      err.println(e.getMessage());
      err.flush();
      return new PipelineLoader.Loaded(null, io.ddp.core.validate.SourceMap.EMPTY,
          java.util.List.of(Problem.error("", "pipeline", e.getMessage())));
    }
    // Errors first, then warnings, each in file order.
    java.util.List<Problem> sorted = new java.util.ArrayList<>(loaded.problems());
    sorted.sort(java.util.Comparator.comparing(Problem::severity).thenComparing(p -> loaded.sources().find(p.pointer())
        .map(pos -> pos.line() * 100_000L + pos.column()).orElse(0L)));
    for (Problem p : sorted) {
      err.println(p.format(loaded.sources()));
    }
    if (loaded.hasErrors()) {
      int n = loaded.errors().size();
      err.println(file.location() + ": " + n + (n == 1 ? " error" : " errors") + "; nothing was run");
    }
    err.flush();
    return loaded;
  }
}
