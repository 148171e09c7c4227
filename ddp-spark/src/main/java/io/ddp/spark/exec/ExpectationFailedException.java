package io.ddp.spark.exec;

import io.ddp.core.exceptions.DdpException;

/** A dataset violated a {@code fail} expectation (or its check could not be confirmed); the message names both. */
public class ExpectationFailedException extends DdpException {
  private static final long serialVersionUID = 1L;

  public ExpectationFailedException(String message) {
    super(message);
  }
}
