package dev.arenaguard.runtime;

/**
 * Thrown under {@link WatchdogPolicy#THROW} by the allocation that crosses a retention watchdog
 * threshold. That allocation did not happen; the arena stays usable and is not reported again.
 */
public final class ArenaRetentionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RetentionWarning warning;

  ArenaRetentionException(RetentionWarning warning) {
    super(warning.message());
    this.warning = warning;
  }

  /** What the watchdog found. */
  public RetentionWarning warning() {
    return warning;
  }
}
