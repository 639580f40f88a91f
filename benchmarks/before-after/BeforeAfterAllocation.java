package dev.arenaguard.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Allocation, interleaved as in {@link InterleavedAllocationBenchmark}: a local slicing allocator,
 * one held in a field, the runtime of an earlier revision ({@code before.arenaguard.runtime}, see
 * {@code benchmarks/before-after.sh}) and the current one, both without zeroing, every chunk
 * retained, reset every 16th batch. Counters: each one's median batch time per allocation, in ns.
 */
@State(Scope.Thread)
@Measurement(iterations = 10, time = 1)
public class BeforeAfterAllocation extends RuntimeBenchmark {
  static final int BATCH = 1024;
  static final int VARIANTS = 4;

  @Param({"16", "64", "512"})
  public long size;

  /** Each variant's median batch time per allocation. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times extends Variants {
    public Times() {
      super(VARIANTS);
    }

    public double slicing() {
      return samples[0].quantile(0.5, BATCH);
    }

    public double slicingHeld() {
      return samples[1].quantile(0.5, BATCH);
    }

    public double before() {
      return samples[2].quantile(0.5, BATCH);
    }

    public double after() {
      return samples[3].quantile(0.5, BATCH);
    }
  }

  private before.arenaguard.runtime.BumpArena old;
  private dev.arenaguard.runtime.BumpArena now;
  private Arena slabArena;
  private MemorySegment slab;
  public SegmentAllocator held;
  private int turn;
  private int batches;

  @Setup
  public void setup() {
    old = before.arenaguard.runtime.BumpArena.builder("before").retainOnReset(Long.MAX_VALUE).zeroMemory(false).build();
    now = dev.arenaguard.runtime.BumpArena.builder("after").retainOnReset(Long.MAX_VALUE).zeroMemory(false).build();
    slabArena = Arena.ofConfined();
    slab = slabArena.allocate(BATCH * size, 8);
  }

  @TearDown
  public void tearDown() {
    old.close();
    now.close();
    slabArena.close();
  }

  @Benchmark
  @OperationsPerInvocation(VARIANTS * BATCH)
  public void inTurn(Times t, Blackhole bh) {
    int first = turn++ % VARIANTS;
    boolean reset = ++batches % 16 == 0;
    for (int k = 0; k < VARIANTS; k++) {
      int v = (first + k) % VARIANTS;
      long start = System.nanoTime();
      switch (v) {
        case 0 -> {
          SegmentAllocator local = SegmentAllocator.slicingAllocator(slab);
          for (int i = 0; i < BATCH; i++) {
            bh.consume(local.allocate(size, 8));
          }
        }
        case 1 -> {
          held = SegmentAllocator.slicingAllocator(slab);
          for (int i = 0; i < BATCH; i++) {
            bh.consume(held.allocate(size, 8));
          }
        }
        case 2 -> {
          for (int i = 0; i < BATCH; i++) {
            bh.consume(old.allocate(size, 8));
          }
          if (reset) {
            old.reset();
          }
        }
        default -> {
          for (int i = 0; i < BATCH; i++) {
            bh.consume(now.allocate(size, 8));
          }
          if (reset) {
            now.reset();
          }
        }
      }
      t.samples[v].add(System.nanoTime() - start);
    }
  }
}
