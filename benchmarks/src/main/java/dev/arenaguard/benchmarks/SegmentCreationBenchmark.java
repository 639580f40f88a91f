package dev.arenaguard.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where an arena-guard allocation's time goes: the two ways to make a 16-byte segment of a native
 * chunk that lives in an epoch's scope. From a raw address ({@code ofAddress(..).reinterpret(size,
 * scope, null)}, a restricted method, checking the scope each time), as the runtime did; or, as it
 * does now and as {@code SegmentAllocator.slicingAllocator} does, re-scoping the chunk once per
 * epoch and slicing it ({@code asSlice}).
 */
@State(Scope.Thread)
public class SegmentCreationBenchmark extends RuntimeBenchmark {
  static final int BATCH = 1024;
  static final long SIZE = 16;

  private Arena chunkArena;
  private Arena epoch;
  private long address;
  private MemorySegment scopedChunk;

  @Setup
  public void setup() {
    chunkArena = Arena.ofConfined();
    address = chunkArena.allocate(BATCH * SIZE, 16).address();
    epoch = Arena.ofConfined();
    scopedChunk = MemorySegment.ofAddress(address).reinterpret(BATCH * SIZE, epoch, null);
  }

  @TearDown
  public void tearDown() {
    epoch.close();
    chunkArena.close();
  }

  /** What the runtime does per allocation. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void reinterpretAddress(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      bh.consume(MemorySegment.ofAddress(address + i * SIZE).reinterpret(SIZE, epoch, null));
    }
  }

  /** A slice of the chunk re-scoped once per epoch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void sliceScopedChunk(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      bh.consume(scopedChunk.asSlice(i * SIZE, SIZE));
    }
  }
}
