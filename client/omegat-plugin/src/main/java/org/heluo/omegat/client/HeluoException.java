package org.heluo.omegat.client;

/** A call to heluo failed; the message says which call, which server and why, in one line. */
public final class HeluoException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String code;

  public HeluoException(String message, String code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC status code name, e.g. "UNAVAILABLE", "DEADLINE_EXCEEDED", "UNAUTHENTICATED". */
  public String code() {
    return code;
  }
}
