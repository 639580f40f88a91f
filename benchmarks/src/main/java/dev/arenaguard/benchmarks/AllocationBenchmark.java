package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.WatchdogPolicy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one allocation of {@code size} bytes, per allocator.
 *
 * <p>Every benchmark method allocates a batch of {@value #BATCH} segments; the score is per
 * allocation. Each allocator also pays for giving its memory back, the way it does that: the JDK
 * arena is closed after every batch (one {@code free} per segment), the slicing allocator starts
 * over the same slab every batch (it frees nothing and invalidates nothing), the heap's share shows
 * in {@code -prof gc}, and arena-guard's arenas are reset after every {@value #BATCHES_PER_RESET}th
 * batch. Resetting that rarely keeps a shared arena's reset, a thread handshake of tens of
 * microseconds that {@link ResetBenchmark} and {@link ScopeCloseBenchmark} measure, from
 * dominating its allocation cost (it adds about 1 ns here); a confined reset is cheap either way.
 * The arenas retain all their chunks on reset (at most 8 MiB): the benchmark measures allocation,
 * not the retention policy's {@code malloc} and {@code free} of chunks.
 *
 * <p>Zeroing: arena-guard zeroes by default, as {@code Arena.allocate} and {@code new byte[]} do;
 * {@code slicingAllocator} does not. The fair pairs are arena-guard without zeroing vs {@code
 * slicing}, and arena-guard with zeroing vs {@code slicingZeroed}, {@code jdkConfinedArena} and
 * {@code heapByteArray}.
 */
@State(Scope.Thread)
public class AllocationBenchmark extends RuntimeBenchmark {
  static final int BATCH = 1024;
  static final long ALIGN = 8;
  static final int BATCHES_PER_RESET = 16;

  @Param({"16", "64", "512"})
  public long size;

  private BumpArena confined;
  private BumpArena confinedNoZero;
  private BumpArena confinedBare;
  private BumpArena shared;
  private BumpArena sharedNoZero;
  private Arena slabArena;
  private MemorySegment slab;
  private int batches;

  @Setup
  public void setup() {
    confined = arena("confined", false, true);
    confinedNoZero = arena("confined-nozero", false, false);
    confinedBare =
        BumpArena.builder("confined-bare")
            .retainOnReset(Long.MAX_VALUE)
            .zeroMemory(false)
            .watchdog(WatchdogPolicy.OFF)
            .build();
    shared = arena("shared", true, true);
    sharedNoZero = arena("shared-nozero", true, false);
    slabArena = Arena.ofConfined();
    slab = slabArena.allocate(BATCH * size, ALIGN);
  }

  private static BumpArena arena(String name, boolean isShared, boolean zero) {
    BumpArena.Builder b = BumpArena.builder(name).retainOnReset(Long.MAX_VALUE).zeroMemory(zero);
    return (isShared ? b.shared() : b.confined()).build();
  }

  @TearDown
  public void tearDown() {
    confined.close();
    confinedNoZero.close();
    confinedBare.close();
    shared.close();
    sharedNoZero.close();
    slabArena.close();
  }

  private void batch(BumpArena arena, Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      bh.consume(arena.allocate(size, ALIGN));
    }
    if (++batches % BATCHES_PER_RESET == 0) {
      arena.reset();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void arenaGuardConfined(Blackhole bh) {
    batch(confined, bh);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void arenaGuardConfinedNoZero(Blackhole bh) {
    batch(confinedNoZero, bh);
  }

  /**
   * Neither zeroing nor the retention watchdog (both on by default): what the allocation path
   * itself costs.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void arenaGuardConfinedBare(Blackhole bh) {
    batch(confinedBare, bh);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void arenaGuardShared(Blackhole bh) {
    batch(shared, bh);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void arenaGuardSharedNoZero(Blackhole bh) {
    batch(sharedNoZero, bh);
  }

  /** The unsafe lower bound: slices of one slab, nothing zeroed, nothing invalidated. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void slicing(Blackhole bh) {
    SegmentAllocator allocator = SegmentAllocator.slicingAllocator(slab);
    for (int i = 0; i < BATCH; i++) {
      bh.consume(allocator.allocate(size, ALIGN));
    }
  }

  /** The lower bound for an allocator that zeroes, as arena-guard does by default. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void slicingZeroed(Blackhole bh) {
    SegmentAllocator allocator = SegmentAllocator.slicingAllocator(slab);
    for (int i = 0; i < BATCH; i++) {
      bh.consume(allocator.allocate(size, ALIGN).fill((byte) 0));
    }
  }

  /** One {@code malloc} (and zeroing) per allocation, one {@code free} each at the close. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void jdkConfinedArena(Blackhole bh) {
    try (Arena arena = Arena.ofConfined()) {
      for (int i = 0; i < BATCH; i++) {
        bh.consume(arena.allocate(size, ALIGN));
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void heapByteArray(Blackhole bh) {
    int n = (int) size;
    for (int i = 0; i < BATCH; i++) {
      bh.consume(new byte[n]);
    }
  }
}
