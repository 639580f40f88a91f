package dev.arenaguard.checker.baseline;

/** A baseline file that cannot be read or written; the message names the file (and line). */
public final class BaselineException extends Exception {
  public BaselineException(String message) {
    super(message);
  }

  public BaselineException(String message, Throwable cause) {
    super(message, cause);
  }
}
