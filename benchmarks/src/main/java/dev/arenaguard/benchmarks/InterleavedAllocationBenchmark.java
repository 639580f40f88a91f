package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The allocation ratio against {@code SegmentAllocator.slicingAllocator}, measured interleaved:
 * each call runs a batch of {@value #BATCH} allocations with each allocator in turn (the order
 * rotating), timing every batch, so that the allocators being compared share every moment of the
 * machine's load — on a shared machine other builds slow the memory system down for seconds at a
 * time, by more than the difference measured. The counters are each allocator's median batch time
 * per allocation over the iteration; the report divides them iteration by iteration.
 *
 * <p>Freeing is included as in {@link AllocationBenchmark}: the slicing allocator starts over the
 * same slab each batch, the arenas (every chunk retained) are reset every {@value
 * #BATCHES_PER_RESET}th batch. Pairs: {@code arenaGuardNoZero} against {@code slicing}, {@code
 * arenaGuard} (zeroing, the default) against {@code slicingZeroed}. And {@code slicingHeld}: the
 * same slicing allocator kept in a field, as an allocator that outlives one method is; the JIT
 * keeps a local one's offset in a register (its allocator object never exists), which no
 * long-lived allocator, and no arena, gets.
 */
@State(Scope.Thread)
public class InterleavedAllocationBenchmark extends RuntimeBenchmark {
  static final int BATCH = 1024;
  static final int BATCHES_PER_RESET = 16;
  static final int VARIANTS = 5;

  @Param({"16", "64", "512"})
  public long size;

  private BumpArena arena;
  private BumpArena arenaNoZero;
  private Arena slabArena;
  private MemorySegment slab;
  private int turn;
  private int batches;

  /** Each allocator's median batch time per allocation, in ns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times extends Variants {
    public Times() {
      super(VARIANTS);
    }

    public double slicing() {
      return samples[0].quantile(0.5, BATCH);
    }

    public double arenaGuardNoZero() {
      return samples[1].quantile(0.5, BATCH);
    }

    public double slicingZeroed() {
      return samples[2].quantile(0.5, BATCH);
    }

    public double arenaGuard() {
      return samples[3].quantile(0.5, BATCH);
    }

    public double slicingHeld() {
      return samples[4].quantile(0.5, BATCH);
    }
  }

  @Setup
  public void setup() {
    arena = BumpArena.builder("zeroing").retainOnReset(Long.MAX_VALUE).build();
    arenaNoZero = BumpArena.builder("no-zeroing").retainOnReset(Long.MAX_VALUE).zeroMemory(false).build();
    slabArena = Arena.ofConfined();
    slab = slabArena.allocate(BATCH * size, 8);
  }

  @TearDown
  public void tearDown() {
    arena.close();
    arenaNoZero.close();
    slabArena.close();
  }

  @Benchmark
  @OperationsPerInvocation(VARIANTS * BATCH)
  public void inTurn(Times t, Blackhole bh) {
    int first = turn++ % VARIANTS;
    boolean reset = ++batches % BATCHES_PER_RESET == 0;
    for (int k = 0; k < VARIANTS; k++) {
      int v = (first + k) % VARIANTS;
      long start = System.nanoTime();
      switch (v) {
        case 0 -> slicing(bh);
        case 1 -> arena(arenaNoZero, reset, bh);
        case 2 -> slicingZeroed(bh);
        case 3 -> arena(arena, reset, bh);
        default -> slicingHeld(bh);
      }
      t.samples[v].add(System.nanoTime() - start);
    }
  }

  private void slicing(Blackhole bh) {
    SegmentAllocator allocator = SegmentAllocator.slicingAllocator(slab);
    for (int i = 0; i < BATCH; i++) {
      bh.consume(allocator.allocate(size, 8));
    }
  }

  private void slicingZeroed(Blackhole bh) {
    SegmentAllocator allocator = SegmentAllocator.slicingAllocator(slab);
    for (int i = 0; i < BATCH; i++) {
      bh.consume(allocator.allocate(size, 8).fill((byte) 0));
    }
  }

  /** A slicing allocator that outlives the loop: held in a field, its offset lives in memory. */
  public SegmentAllocator held;

  private void slicingHeld(Blackhole bh) {
    held = SegmentAllocator.slicingAllocator(slab);
    for (int i = 0; i < BATCH; i++) {
      bh.consume(held.allocate(size, 8));
    }
  }

  private void arena(BumpArena a, boolean reset, Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      bh.consume(a.allocate(size, 8));
    }
    if (reset) {
      a.reset();
    }
  }
}
