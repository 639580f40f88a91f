package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reset and phase end cost the same whatever the number of allocations, and whatever the number
 * of chunks they filled: asserted structurally, by counting the work they do (arenas visited,
 * scopes closed, calls handing chunks back), not by timing.
 */
class ResetCostTest {

  private static long resetWork(BumpArena arena, int allocations) {
    ArenaImpl impl = (ArenaImpl) arena;
    for (int i = 0; i < allocations; i++) {
      arena.allocate(16, 8);
    }
    long before = impl.resetWork;
    arena.reset();
    return impl.resetWork - before;
  }

  @Test
  void confinedResetWorkDoesNotDependOnAllocationCount() {
    try (BumpArena arena = BumpArena.builder("cost").build()) {
      long few = resetWork(arena, 10);
      long many = resetWork(arena, 1_000_000);
      assertEquals(few, many);
      assertEquals(3, many, "arena visited + one scope closed + one hand-back of its chunks");
    }
  }

  @Test
  void sharedResetWorkDoesNotDependOnAllocationCount() {
    try (BumpArena arena = BumpArena.builder("cost").shared().build()) {
      long few = resetWork(arena, 10);
      long many = resetWork(arena, 1_000_000);
      assertEquals(few, many);
      assertEquals(3, many);
    }
  }

  @Test
  void resetWorkDoesNotGrowWithChunks() {
    // fixed 4 KiB chunks: 10 chunks' worth in 16-byte and in 4000-byte allocations
    try (BumpArena arena = BumpArena.builder("cost").chunkSize(4096).maxChunkSize(4096).build()) {
      ArenaImpl impl = (ArenaImpl) arena;
      assertEquals(3, resetWork(arena, 2560));
      for (int i = 0; i < 10; i++) {
        arena.allocate(4000, 8);
      }
      assertEquals(10, arena.stats().chunks());
      long before = impl.resetWork;
      arena.reset();
      assertEquals(3, impl.resetWork - before);
    }
  }

  @Test
  void aMillionSmallAllocationsFillAHandfulOfChunks() {
    try (BumpArena arena = BumpArena.ofConfined("geometric")) {
      for (int i = 0; i < 1_000_000; i++) {
        arena.allocate(16, 8);
      }
      ArenaStats s = arena.stats();
      // 64 KiB, 128 KiB, ... 4 MiB (8,323,072 bytes), then two more of 4 MiB for 16,000,000 bytes
      assertEquals(9, s.chunks());
      assertEquals(8_323_072 + 2 * 4_194_304, s.bytesReserved());
      assertTrue(s.reservedToAllocatedRatio() < 1.05, "little reserved but unused");
    }
  }

  @Test
  void phaseEndWorkDoesNotDependOnAllocationCount() {
    try (BumpArena arena = BumpArena.builder("cost").build()) {
      ArenaImpl impl = (ArenaImpl) arena;
      arena.allocate(8);
      long[] work = new long[3];
      int[] counts = {10, 1000, 1_000_000};
      for (int k = 0; k < counts.length; k++) {
        Phase phase = arena.phase();
        for (int i = 0; i < counts[k]; i++) {
          arena.allocate(16, 8);
        }
        long before = impl.resetWork;
        phase.close();
        work[k] = impl.resetWork - before;
      }
      assertEquals(1, work[0], "one scope closed; the phase stayed in the base epoch's chunk");
      assertEquals(1, work[1]);
      assertEquals(2, work[2], "one scope closed, one hand-back of the chunks the phase took");
    }
  }
}
