package io.ddp.core.validate;

import io.ddp.core.exceptions.DdpException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A pipeline declaration has errors; nothing was run. Holds every problem found, errors and warnings,
 * and the message lists each on its own line with its file position.
 */
public class InvalidPipelineException extends DdpException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;
  private final transient SourceMap sources;

  public InvalidPipelineException(List<Problem> problems, SourceMap sources) {
    super(message(problems, sources));
    this.problems = List.copyOf(problems);
    this.sources = sources;
  }

  public List<Problem> problems() {
    return problems;
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).collect(Collectors.toList());
  }

  public SourceMap sources() {
    return sources;
  }

  private static String message(List<Problem> problems, SourceMap sources) {
    long errors = problems.stream().filter(Problem::isError).count();
    return "Invalid pipeline " + sources.sourceName() + " (" + errors + (errors == 1 ? " error" : " errors") + "):\n"
        + problems.stream().filter(Problem::isError).map(p -> p.format(sources)).collect(Collectors.joining("\n"));
  }
}
