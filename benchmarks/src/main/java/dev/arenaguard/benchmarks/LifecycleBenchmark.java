package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import dev.arenaguard.runtime.WatchdogPolicy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request: {@value Request#ALLOCATIONS} allocations of mixed sizes, each touched (a long
 * written and read back), then the request's memory released. The score is the time per request.
 */
@State(Scope.Thread)
public class LifecycleBenchmark extends RuntimeBenchmark {
  private BumpArena confined;
  private BumpArena confinedNoZero;
  private ArenaPool poolNoWatchdog;
  private BumpArena shared;
  private ArenaPool pool;
  private Arena slabArena;
  private MemorySegment slab;

  @Setup
  public void setup() {
    confined = BumpArena.ofConfined("requests");
    confinedNoZero = BumpArena.builder("requests-nozero").zeroMemory(false).build();
    poolNoWatchdog =
        ArenaPool.of(BumpArena.builder("request").watchdog(WatchdogPolicy.OFF), ArenaPool.DEFAULT_MAX_IDLE);
    shared = BumpArena.ofShared("shared-requests");
    pool = ArenaPool.ofConfined("request");
    slabArena = Arena.ofConfined();
    slab = slabArena.allocate(Request.BYTES, 8);
  }

  @TearDown
  public void tearDown() {
    confined.close();
    confinedNoZero.close();
    poolNoWatchdog.close();
    shared.close();
    pool.close();
    slabArena.close();
  }

  /** A long-lived confined arena, one phase per request. */
  @Benchmark
  public long arenaGuardPhase() {
    try (Phase request = confined.phase()) {
      return Request.run(confined);
    }
  }

  /** As {@link #arenaGuardPhase}, without zeroing: what zeroing 36 KB per request costs. */
  @Benchmark
  public long arenaGuardPhaseNoZero() {
    try (Phase request = confinedNoZero.phase()) {
      return Request.run(confinedNoZero);
    }
  }

  /** A pooled arena per request: acquire, allocate, close (reset and return). */
  @Benchmark
  public long arenaGuardPool() {
    try (BumpArena arena = pool.acquire()) {
      return Request.run(arena);
    }
  }

  /**
   * As {@link #arenaGuardPool}, without the retention watchdog, which reads the clock on every
   * allocation outside a phase.
   */
  @Benchmark
  public long arenaGuardPoolNoWatchdog() {
    try (BumpArena arena = poolNoWatchdog.acquire()) {
      return Request.run(arena);
    }
  }

  /** A long-lived confined arena, reset after each request. */
  @Benchmark
  public long arenaGuardReset() {
    long sum = Request.run(confined);
    confined.reset();
    return sum;
  }

  /** A long-lived shared arena, one (thread-confined) phase per request. */
  @Benchmark
  public long arenaGuardSharedPhase() {
    try (Phase request = shared.phase()) {
      return Request.run(shared);
    }
  }

  /** A long-lived shared arena, reset after each request: a shared-scope close each time. */
  @Benchmark
  public long arenaGuardSharedReset() {
    long sum = Request.run(shared);
    shared.reset();
    return sum;
  }

  /** The usual JDK code: a fresh confined arena per request. */
  @Benchmark
  public long jdkConfinedArena() {
    try (Arena arena = Arena.ofConfined()) {
      return Request.run(arena);
    }
  }

  /** A fresh shared arena per request. */
  @Benchmark
  public long jdkSharedArena() {
    try (Arena arena = Arena.ofShared()) {
      return Request.run(arena);
    }
  }

  /** The unsafe lower bound: slices of one slab, nothing zeroed, nothing invalidated. */
  @Benchmark
  public long slicing() {
    return Request.run(SegmentAllocator.slicingAllocator(slab));
  }
}
