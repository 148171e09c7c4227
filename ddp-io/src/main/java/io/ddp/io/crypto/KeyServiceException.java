package io.ddp.io.crypto;

import io.ddp.core.exceptions.DdpException;

/** A key service could not give or use a key; the message names the key id and service, never key bytes. */
public class KeyServiceException extends DdpException {
  private static final long serialVersionUID = 1L;

  /** Why: an unknown key id is a configuration error, a failed unwrap means altered or foreign data. */
  public enum Reason {
    UNKNOWN_KEY,
    BAD_CIPHERTEXT,
    ACCESS_DENIED,
    UNAVAILABLE
  }

  private final Reason reason;
  private final String keyId;

  public KeyServiceException(Reason reason, String keyId, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.keyId = keyId;
  }

  public KeyServiceException(Reason reason, String keyId, String message) {
    this(reason, keyId, message, null);
  }

  public Reason reason() {
    return reason;
  }

  public String keyId() {
    return keyId;
  }
}
