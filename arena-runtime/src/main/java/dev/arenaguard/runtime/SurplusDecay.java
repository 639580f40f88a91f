package dev.arenaguard.runtime;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The background thread that returns arenas' surplus chunks to the OS, jemalloc's background decay
 * thread in miniature: a chunk that an epoch's end left beyond its arena's retained capacity goes
 * back once it has stayed unused for the arena's decay time ({@link
 * BumpArena.Builder#surplusDecay}). Why a thread rather than the epoch's end: freeing a chunk of
 * megabytes unmaps its pages, tens to hundreds of microseconds each, and a reset or phase end that
 * did it would cost in proportion to the memory the epoch used; why not the next allocation: that
 * is the deferred free on the allocation path that wrecks p99 latency (the mimalloc lesson). And a
 * burst that returns within the decay time finds its chunks still there. One daemon thread for
 * every arena, started when the first surplus appears.
 */
final class SurplusDecay {
  private SurplusDecay() {}

  /** Holds the thread, so that it starts when first needed. */
  private static final class Background {
    static final ScheduledThreadPoolExecutor EXECUTOR = start();

    private static ScheduledThreadPoolExecutor start() {
      ScheduledThreadPoolExecutor e =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "arena-guard-decay");
                t.setDaemon(true);
                return t;
              });
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }

  /** Runs {@link ArenaMemory#decay()} on the background thread in {@code delayNanos}. */
  static void schedule(ArenaMemory memory, long delayNanos) {
    Background.EXECUTOR.schedule(memory::decay, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }
}
