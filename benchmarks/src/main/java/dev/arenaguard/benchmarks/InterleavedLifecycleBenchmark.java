package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The request lifecycle against its physical floor and against the JDK, measured interleaved as
 * {@link InterleavedAllocationBenchmark} is: each call runs one {@link Request} with each variant
 * in turn, timing each. Variants: a {@code phase()} per request in a long-lived confined arena,
 * the same in debug mode with its default sampling, the floor (the same bytes sliced out of one
 * slab and zeroed: what any arena that zeroes must at least do), and a fresh {@code
 * Arena.ofConfined()} per request. The counters are each variant's median request time.
 */
@State(Scope.Thread)
public class InterleavedLifecycleBenchmark extends RuntimeBenchmark {
  static final int VARIANTS = 4;

  private BumpArena arena;
  private BumpArena debugArena;
  private Arena slabArena;
  private MemorySegment slab;
  private int turn;

  /** Each variant's median request time, in ns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times extends Variants {
    public Times() {
      super(VARIANTS);
    }

    public double arenaGuardPhase() {
      return samples[0].quantile(0.5, 1);
    }

    public double arenaGuardPhaseDebug() {
      return samples[1].quantile(0.5, 1);
    }

    public double slicingZeroed() {
      return samples[2].quantile(0.5, 1);
    }

    public double jdkConfinedArena() {
      return samples[3].quantile(0.5, 1);
    }
  }

  @Setup
  public void setup() {
    arena = BumpArena.ofConfined("requests");
    debugArena = BumpArena.builder("requests-debug").debug(true).build();
    slabArena = Arena.ofConfined();
    slab = slabArena.allocate(Request.BYTES, 8);
  }

  @TearDown
  public void tearDown() {
    arena.close();
    debugArena.close();
    slabArena.close();
  }

  @Benchmark
  @OperationsPerInvocation(VARIANTS)
  public void inTurn(Times t, Blackhole bh) {
    int first = turn++ % VARIANTS;
    for (int k = 0; k < VARIANTS; k++) {
      int v = (first + k) % VARIANTS;
      long start = System.nanoTime();
      switch (v) {
        case 0 -> phase(arena, bh);
        case 1 -> phase(debugArena, bh);
        case 2 -> floor(bh);
        default -> jdk(bh);
      }
      t.samples[v].add(System.nanoTime() - start);
    }
  }

  // One request loop per allocator type, not Request.run for all: a call site shared by three
  // allocator types would be megamorphic, and no allocator's fast path would be inlined.

  private static void phase(BumpArena a, Blackhole bh) {
    try (Phase request = a.phase()) {
      for (int i = 0; i < Request.ALLOCATIONS; i++) {
        Request.touch(a.allocate(Request.SIZES[i], 8), i, bh);
      }
    }
  }

  private void floor(Blackhole bh) {
    SegmentAllocator slices = SegmentAllocator.slicingAllocator(slab);
    for (int i = 0; i < Request.ALLOCATIONS; i++) {
      Request.touch(slices.allocate(Request.SIZES[i], 8).fill((byte) 0), i, bh);
    }
  }

  private static void jdk(Blackhole bh) {
    try (Arena request = Arena.ofConfined()) {
      for (int i = 0; i < Request.ALLOCATIONS; i++) {
        Request.touch(request.allocate(Request.SIZES[i], 8), i, bh);
      }
    }
  }
}
