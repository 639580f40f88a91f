package dev.arenaguard.runtime;

/**
 * Receives the life events of every {@link BumpArena} in the JVM: the seam for monitoring (JFR
 * events, JMX, metrics, test extensions). Register with {@link
 * ArenaRegistry#addListener(ArenaListener)}; every method has an empty default.
 *
 * <p>Methods are called synchronously, on the thread that caused the event (for {@link
 * #leakDetected}, the leak detector's cleaner thread), possibly concurrently for different arenas;
 * they must be fast and thread-safe, and must not throw (an exception is logged and dropped). With
 * no listener registered, events cost one volatile read.
 */
public interface ArenaListener {

  /** A root or child arena was created (a pooled arena: when the pool first creates it). */
  default void arenaCreated(BumpArena arena) {}

  /**
   * An arena was taken from a pool by {@link ArenaPool#acquire()}. {@code lease} is what the
   * caller got: it is {@linkplain BumpArena#isOpen() open} until the caller closes it, which
   * returns the arena to the pool. (The pooled arena itself stays open while idle in the pool.)
   */
  default void arenaAcquired(BumpArena lease) {}

  /**
   * An arena was closed.
   *
   * @param finalStats its statistics just before its memory was returned
   */
  default void arenaClosed(BumpArena arena, ArenaStats finalStats) {}

  /**
   * An arena's base epoch ended by a reset (also for each descendant of a reset arena).
   *
   * @param bytesReleased the bytes allocated in it that the reset released
   */
  default void arenaReset(BumpArena arena, long bytesReleased) {}

  /**
   * A phase ended.
   *
   * @param bytesReleased the bytes allocated in the phase
   */
  default void phaseEnded(BumpArena arena, int depth, long bytesReleased) {}

  /** The retention watchdog fired for an arena (under every policy but {@code OFF}). */
  default void retentionWarning(BumpArena arena, RetentionWarning warning) {}

  /** An allocation was refused by a byte limit (the exception is thrown after this call). */
  default void limitExceeded(BumpArena arena, ArenaLimitExceededException exception) {}

  /** The leak detector found a root arena that became unreachable without being closed. */
  default void leakDetected(LeakReport report) {}
}
