package dev.arenaguard.runtime;

/**
 * A nested region of an arena's life: allocations made while a phase is the innermost open phase
 * belong to it, and {@link #close()} releases exactly them &mdash; PostgreSQL's per-tuple memory
 * context. Opened by {@link BumpArena#phase()}, used with try-with-resources.
 *
 * <p>A phase belongs to the thread that opened it (for a confined arena, its owner). Closing a
 * phase closes its scope, so every segment allocated in it fails at once with {@link
 * IllegalStateException} afterwards, and rewinds the arena's bump pointer to where the phase
 * began. Chunks the phase took beyond that point are kept for reuse within the arena's {@linkplain
 * BumpArena.Builder#retainOnReset(long) retained capacity}; beyond it a background thread returns
 * them to the OS after the {@linkplain BumpArena.Builder#surplusDecay decay time}.
 */
public interface Phase extends AutoCloseable {

  /** The arena this phase belongs to. */
  BumpArena arena();

  /** 1 for a phase opened directly in the arena, 2 for a phase inside it, and so on. */
  int depth();

  /** Whether this phase is still open. */
  boolean isOpen();

  /**
   * Ends the phase: closes any phase opened inside it that is still open, then releases
   * everything allocated in this phase. Closing a closed phase has no effect.
   *
   * <p>Cost: one confined-scope close (tens of nanoseconds) per phase ended, independent of the
   * number of allocations; it frees nothing.
   *
   * @throws WrongThreadException if called from a thread other than the one that opened it
   * @throws IllegalStateException if a native call holds a segment of a phase to end (see {@link
   *     BumpArena}, "When native code holds a segment"): that phase, and the phases outside it,
   *     stay open as they were; phases inside it that were ended stay ended
   */
  @Override
  void close();
}
