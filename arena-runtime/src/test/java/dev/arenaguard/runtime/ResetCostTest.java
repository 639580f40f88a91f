package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Reset and phase end cost the same whatever the number of allocations: asserted structurally,
 * by counting the work they do (scopes closed, chunks given back, arenas visited), not by timing.
 */
class ResetCostTest {
  private static final long CHUNK = 4 << 20; // 100,000 allocations of 16 bytes fit in one chunk

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
    try (BumpArena arena = BumpArena.builder("cost").chunkSize(CHUNK).build()) {
      long few = resetWork(arena, 10);
      long many = resetWork(arena, 100_000);
      assertEquals(few, many);
      assertEquals(3, many, "arena visited + one scope closed + one chunk given back");
    }
  }

  @Test
  void sharedResetWorkDoesNotDependOnAllocationCount() {
    try (BumpArena arena = BumpArena.builder("cost").shared().chunkSize(CHUNK).build()) {
      long few = resetWork(arena, 10);
      long many = resetWork(arena, 100_000);
      assertEquals(few, many);
      assertEquals(3, many);
    }
  }

  @Test
  void resetWorkGrowsWithChunksOnly() {
    try (BumpArena arena = BumpArena.builder("cost").chunkSize(4096).build()) {
      // 10 chunks' worth, in 16-byte and in 4000-byte allocations: same chunks, same work
      long small = resetWork(arena, 2560); // 256 per chunk: 10 chunks
      assertEquals(2 + 10, small);
      ArenaImpl impl = (ArenaImpl) arena;
      for (int i = 0; i < 10; i++) {
        arena.allocate(4000, 8);
      }
      long before = impl.resetWork;
      arena.reset();
      assertEquals(2 + 10, impl.resetWork - before);
    }
  }

  @Test
  void phaseEndWorkDoesNotDependOnAllocationCount() {
    try (BumpArena arena = BumpArena.builder("cost").chunkSize(CHUNK).build()) {
      ArenaImpl impl = (ArenaImpl) arena;
      arena.allocate(8);
      long[] work = new long[2];
      int[] counts = {10, 100_000};
      for (int k = 0; k < 2; k++) {
        Phase phase = arena.phase();
        for (int i = 0; i < counts[k]; i++) {
          arena.allocate(16, 8);
        }
        long before = impl.resetWork;
        phase.close();
        work[k] = impl.resetWork - before;
      }
      assertEquals(work[0], work[1]);
      assertEquals(1, work[1], "one scope closed; the chunk stays with the base epoch");
    }
  }
}
