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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One request: {@value Request#ALLOCATIONS} allocations of mixed sizes, each touched (a long
 * written and read back), then the request's memory released. The score is the time per request.
 *
 * <p>The physical floor of a request is {@link #slicingZeroed}: the same bytes sliced out of one
 * slab and zeroed, with nothing checked, counted or invalidated — what any arena that zeroes must
 * at least do.
 */
@State(Scope.Thread)
public class LifecycleBenchmark extends RuntimeBenchmark {
  private BumpArena confined;
  private BumpArena confinedNoZero;
  private BumpArena confinedDebug;
  private ArenaPool poolNoWatchdog;
  private BumpArena shared;
  private ArenaPool pool;
  private Arena slabArena;
  private MemorySegment slab;

  @Setup
  public void setup() {
    confined = BumpArena.ofConfined("requests");
    confinedNoZero = BumpArena.builder("requests-nozero").zeroMemory(false).build();
    confinedDebug = BumpArena.builder("requests-debug").debug(true).build();
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
    confinedDebug.close();
    poolNoWatchdog.close();
    shared.close();
    pool.close();
    slabArena.close();
  }

  /** A long-lived confined arena, one phase per request. */
  @Benchmark
  public long arenaGuardPhase(Blackhole bh) {
    try (Phase request = confined.phase()) {
      return Request.run(confined, bh);
    }
  }

  /** As {@link #arenaGuardPhase}, without zeroing: what zeroing 36 KB per request costs. */
  @Benchmark
  public long arenaGuardPhaseNoZero(Blackhole bh) {
    try (Phase request = confinedNoZero.phase()) {
      return Request.run(confinedNoZero, bh);
    }
  }

  /** As {@link #arenaGuardPhase}, in debug mode with its default sampling. */
  @Benchmark
  public long arenaGuardPhaseDebug(Blackhole bh) {
    try (Phase request = confinedDebug.phase()) {
      return Request.run(confinedDebug, bh);
    }
  }

  /** A pooled arena per request: acquire, allocate, close (reset and return). */
  @Benchmark
  public long arenaGuardPool(Blackhole bh) {
    try (BumpArena arena = pool.acquire()) {
      return Request.run(arena, bh);
    }
  }

  /**
   * As {@link #arenaGuardPool}, without the retention watchdog, which looks at the clock at every
   * new chunk and every 64 KiB allocated outside a phase.
   */
  @Benchmark
  public long arenaGuardPoolNoWatchdog(Blackhole bh) {
    try (BumpArena arena = poolNoWatchdog.acquire()) {
      return Request.run(arena, bh);
    }
  }

  /** A long-lived confined arena, reset after each request. */
  @Benchmark
  public long arenaGuardReset(Blackhole bh) {
    long sum = Request.run(confined, bh);
    confined.reset();
    return sum;
  }

  /** A long-lived shared arena, one (thread-confined) phase per request. */
  @Benchmark
  public long arenaGuardSharedPhase(Blackhole bh) {
    try (Phase request = shared.phase()) {
      return Request.run(shared, bh);
    }
  }

  /** A long-lived shared arena, reset after each request: a shared-scope close each time. */
  @Benchmark
  public long arenaGuardSharedReset(Blackhole bh) {
    long sum = Request.run(shared, bh);
    shared.reset();
    return sum;
  }

  /** The usual JDK code: a fresh confined arena per request. */
  @Benchmark
  public long jdkConfinedArena(Blackhole bh) {
    try (Arena arena = Arena.ofConfined()) {
      return Request.run(arena, bh);
    }
  }

  /** A fresh shared arena per request. */
  @Benchmark
  public long jdkSharedArena(Blackhole bh) {
    try (Arena arena = Arena.ofShared()) {
      return Request.run(arena, bh);
    }
  }

  /** The unsafe lower bound: slices of one slab, nothing zeroed, nothing invalidated. */
  @Benchmark
  public long slicing(Blackhole bh) {
    return Request.run(SegmentAllocator.slicingAllocator(slab), bh);
  }

  /** The floor of an arena that zeroes: slices of one slab, zeroed, nothing invalidated. */
  @Benchmark
  public long slicingZeroed(Blackhole bh) {
    return Request.runZeroing(SegmentAllocator.slicingAllocator(slab), bh);
  }
}
