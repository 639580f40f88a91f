package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear exception, and the arena loses nothing. */
class BadInputTest {

  @Test
  void aNullNameIsRefusedLikeTheBuildersIs() {
    NullPointerException byBuilder =
        assertThrows(NullPointerException.class, () -> BumpArena.builder(null));
    try (BumpArena arena = BumpArena.ofConfined("parent")) {
      NullPointerException byChild = assertThrows(NullPointerException.class, () -> arena.newChild(null));
      assertEquals(byBuilder.getMessage(), byChild.getMessage());
      assertEquals(0, arena.children().size());
    }
    try (BumpArena shared = BumpArena.ofShared("parent")) {
      assertThrows(NullPointerException.class, () -> shared.newChild(null));
    }
  }

  @Test
  void anImpossibleSizeIsAnIllegalArgumentAndAllocatesNothing() {
    for (BumpArena.Builder b :
        new BumpArena.Builder[] {
          BumpArena.builder("confined"), BumpArena.builder("shared").shared(),
          BumpArena.builder("limited").byteLimit(1 << 20)
        }) {
      try (BumpArena arena = b.build()) {
        MemorySegment before = arena.allocate(8);
        for (long size : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 7, (1L << 56) + 1}) {
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> arena.allocate(size));
          assertTrue(e.getMessage().contains("\"" + arena.name() + "\""), e.getMessage());
          assertTrue(e.getMessage().contains("cannot allocate"), e.getMessage());
        }
        try (Phase p = arena.phase()) {
          assertThrows(IllegalArgumentException.class, () -> arena.allocate(Long.MAX_VALUE, 4096));
        }
        ArenaStats s = arena.stats();
        assertEquals(8, s.bytesAllocated(), "nothing was allocated");
        assertEquals(1, s.allocationCount());
        before.fill((byte) 1);
        arena.allocate(16); // still usable
      }
    }
  }

  @Test
  void sizesAMachineCannotProvideNameTheArenaAndLeaveItUsable() {
    try (BumpArena arena = BumpArena.ofConfined("greedy")) {
      OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> arena.allocate(1L << 55));
      assertTrue(e.getMessage().startsWith("arena \"greedy\" could not reserve"), e.getMessage());
      assertTrue(e.getMessage().contains("the arena is usable"), e.getMessage());
      assertEquals(0, arena.stats().bytesReserved());
      assertEquals(0, arena.stats().allocationCount());
      arena.allocate(16).fill((byte) 1);
    }
  }

  @Test
  void theBuilderRefusesSizesAndDurationsThatCannotWork() {
    BumpArena.Builder b = BumpArena.builder("x");
    assertThrows(IllegalArgumentException.class, () -> b.chunkSize(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> b.maxChunkSize(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> b.surplusDecay(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> b.surplusDecay(null));
    assertThrows(NullPointerException.class, () -> b.watchdogMaxAge(null));
    b.build().close(); // the failed calls changed nothing
  }
}
