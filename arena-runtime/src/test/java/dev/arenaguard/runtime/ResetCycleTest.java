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
      assertEquals(3, first.chunkReservations(), "one cycle needs three chunks");
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

  /** Three small allocations and one that fills two more chunks, then a reset. */
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
  void beyondTheRetainedCapacityChunksGoBackToTheOs() {
    try (BumpArena arena =
        BumpArena.builder("lean").chunkSize(4096).retainOnReset(4096).build()) {
      for (int i = 0; i < 1000; i++) {
        cycle(arena, i);
        ArenaStats s = arena.stats();
        assertEquals(4096, s.bytesReserved(), "only the retained capacity stays after a reset");
        assertEquals(1, s.chunks());
      }
      // each cycle needed two chunks beyond the retained one: they were returned and re-reserved
      assertEquals(3 + 999 * 2, arena.stats().chunkReservations());
    }
    try (BumpArena arena = BumpArena.builder("none").chunkSize(4096).retainOnReset(0).build()) {
      cycle(arena, 0);
      assertEquals(0, arena.stats().bytesReserved(), "retainOnReset(0) keeps nothing");
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
