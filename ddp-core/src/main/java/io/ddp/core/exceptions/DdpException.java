package io.ddp.core.exceptions;

/** Base of DDP's unchecked exceptions; messages say what failed and how to fix it. */
public class DdpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DdpException(String message) {
    super(message);
  }

  public DdpException(String message, Throwable cause) {
    super(message, cause);
  }
}
