package dev.arenaguard.checker.model;

/** A stub file that cannot be used, located to the file, line and column of the mistake. */
public final class StubException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StubException(String file, int line, int column, String problem) {
    super(file + ":" + line + ":" + column + ": " + problem);
  }

  public StubException(String file, String problem) {
    super(file + ": " + problem);
  }
}
