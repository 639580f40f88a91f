package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Many reset cycles leave reserved memory flat, and chunks are reused, not reserved again. */
class ResetCycleTest {

  @Test
  void aMillionResetCyclesKeepReservedMemoryFlat() {
    try (BumpArena arena = BumpArena.builder("cycles").chunkSize(4096).build()) {
      cycle(arena, 0);
      ArenaStats first = arena.stats();
      assertEquals(2, first.chunkReservations(), "one cycle needs two chunks: 4 KiB, then 8 KiB");
      for (int i = 1; i < 1_000_000; i++) {
        cycle(arena, i);
      }
      ArenaStats last = arena.stats();
      assertEquals(first.bytesReserved(), last.bytesReserved(), "reserved bytes stay flat");
      assertEquals(first.chunks(), last.chunks());
      assertEquals(first.chunkReservations(), last.chunkReservations(), "chunks are reused");
      assertEquals(1_000_000, last.resetCount());
      assertEquals(0, last.bytesAllocated());
      assertEquals(4_000_000, last.allocationCount());
    }
  }

  /** Two small allocations and two that need a second chunk, then a reset. */
  private static void cycle(BumpArena arena, long i) {
    MemorySegment a = arena.allocate(JAVA_LONG);
    a.set(JAVA_LONG, 0, i);
    arena.allocate(100, 16);
    arena.allocate(4000, 8);
    arena.allocate(4000, 8);
    if (a.get(JAVA_LONG, 0) != i) {
      throw new AssertionError("segment lost its value in cycle " + i);
    }
    arena.reset();
  }

  @Test
  void sharedArenaResetCyclesKeepReservedMemoryFlat() {
    try (BumpArena arena = BumpArena.builder("shared-cycles").shared().chunkSize(4096).build()) {
      cycle(arena, 0);
      ArenaStats first = arena.stats();
      for (int i = 1; i < 20_000; i++) {
        cycle(arena, i);
      }
      ArenaStats last = arena.stats();
      assertEquals(first.bytesReserved(), last.bytesReserved());
      assertEquals(first.chunkReservations(), last.chunkReservations());
    }
  }

  @Test
  void retainedChunksAreTakenBackInTheOrderTheLastEpochTookThem() {
    try (BumpArena arena = BumpArena.builder("order").chunkSize(4096).build()) {
      long[] firstAddresses = new long[3];
      long[] secondAddresses = new long[3];
      for (long[] addresses : new long[][] {firstAddresses, secondAddresses}) {
        // 4 KiB, 8 KiB, 16 KiB chunks; one allocation filling most of each
        addresses[0] = arena.allocate(4000).address();
        addresses[1] = arena.allocate(8000).address();
        addresses[2] = arena.allocate(16000).address();
        arena.reset();
      }
      assertEquals(firstAddresses[1], secondAddresses[1], "the 8 KiB chunk came back second");
      assertEquals(firstAddresses[2], secondAddresses[2], "the 16 KiB chunk came back third");
      assertEquals(3, arena.stats().chunkReservations(), "no chunk was reserved twice");
    }
  }

  @Test
  void phaseCyclesInALongLivedArenaKeepReservedMemoryFlat() {
    try (BumpArena arena = BumpArena.builder("server").chunkSize(4096).build()) {
      MemorySegment state = arena.allocate(JAVA_LONG);
      long reserved = -1;
      for (int i = 0; i < 200_000; i++) {
        try (Phase request = arena.phase()) {
          arena.allocate(3000, 8);
          arena.allocate(3000, 8);
          state.set(JAVA_LONG, 0, i);
        }
        if (i == 0) {
          reserved = arena.stats().bytesReserved();
        }
      }
      assertEquals(reserved, arena.stats().bytesReserved());
      assertEquals(8, arena.stats().bytesAllocated(), "only the state outside the phases");
      assertTrue(arena.stats().chunkReservations() <= 3);
    }
  }
}
