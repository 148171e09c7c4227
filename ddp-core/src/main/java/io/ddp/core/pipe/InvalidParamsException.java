package io.ddp.core.pipe;

import io.ddp.core.exceptions.DdpException;

/** Thrown by a pipe's static checks when the problem lies in one of its params; carries where. */
public final class InvalidParamsException extends DdpException {
  private static final long serialVersionUID = 1L;
  private final transient ParamProblem problem;

  public InvalidParamsException(ParamProblem problem, Throwable cause) {
    super(problem.message(), cause);
    this.problem = problem;
  }

  public ParamProblem problem() {
    return problem;
  }
}
