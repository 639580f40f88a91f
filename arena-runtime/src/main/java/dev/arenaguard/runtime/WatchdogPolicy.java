package dev.arenaguard.runtime;

/**
 * What the retention watchdog does when an arena keeps growing without a reset: the run-time twin
 * of the checker's {@code ArenaLongLivedOwner}. The watchdog reports each arena at most once, with
 * its name and creation site (see {@link RetentionWarning}); it counts only allocations outside
 * any phase, because memory allocated in a phase is released when the phase ends.
 *
 * <p>Set per arena with {@link BumpArena.Builder#watchdog(WatchdogPolicy)}, or for all arenas
 * with the system property {@code arenaguard.watchdog} ({@code off}, {@code log}, {@code jfr},
 * {@code throw}; default {@code log}). Listeners registered with {@link
 * ArenaRegistry#addListener(ArenaListener)} are told, and a running JFR recording gets the event
 * {@code dev.arenaguard.RetentionWarning}, under every policy but {@code OFF}.
 */
public enum WatchdogPolicy {
  /** No watchdog. */
  OFF,
  /**
   * Log a warning through the {@link System.Logger} named {@code dev.arenaguard.runtime} (with the
   * default backend, {@code java.util.logging}).
   */
  LOG,
  /**
   * Only the JDK Flight Recorder event {@code dev.arenaguard.RetentionWarning}, with the arena's
   * name, creation site, allocation count, bytes and time since reset; nothing is logged. (Every
   * policy but {@code OFF} commits that event when a recording is running; it costs nothing
   * otherwise.)
   */
  JFR,
  /**
   * Throw {@link ArenaRetentionException} from the allocation that crosses the threshold (that
   * allocation does not happen; later ones do). Strict mode, for tests.
   */
  THROW
}
