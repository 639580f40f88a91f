package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every access to a segment whose epoch ended throws IllegalStateException, at once. */
class UseAfterResetTest {

  private static void assertStale(MemorySegment s) {
    assertFalse(s.scope().isAlive());
    assertThrows(IllegalStateException.class, () -> s.get(JAVA_INT, 0));
    assertThrows(IllegalStateException.class, () -> s.set(JAVA_INT, 0, 1));
    assertThrows(IllegalStateException.class, () -> s.toArray(JAVA_BYTE));
    assertThrows(IllegalStateException.class, () -> s.fill((byte) 1));
    assertThrows(IllegalStateException.class, () -> s.asSlice(1).get(JAVA_BYTE, 0));
    assertThrows(
        IllegalStateException.class,
        () -> MemorySegment.copy(s, 0, MemorySegment.ofArray(new byte[4]), 0, 4));
  }

  @Test
  void resetInvalidatesEverySegmentEvenWhenItsMemoryIsReused() {
    try (BumpArena arena = BumpArena.ofConfined("reuse")) {
      MemorySegment old = arena.allocate(JAVA_INT);
      old.set(JAVA_INT, 0, 0xCAFE);
      arena.reset();
      MemorySegment fresh = arena.allocate(JAVA_INT);
      assertEquals(old.address(), fresh.address(), "the memory is reused at once");
      assertEquals(0, fresh.get(JAVA_INT, 0), "and zeroed");
      fresh.set(JAVA_INT, 0, 42);
      assertStale(old); // never reads 42
      assertEquals(42, fresh.get(JAVA_INT, 0));
    }
  }

  @Test
  void phaseCloseInvalidatesOnlyWhatWasAllocatedInside() {
    try (BumpArena arena = BumpArena.ofConfined("phases")) {
      MemorySegment outer = arena.allocate(JAVA_INT);
      outer.set(JAVA_INT, 0, 1);
      MemorySegment inPhase;
      MemorySegment inNested;
      try (Phase phase = arena.phase()) {
        inPhase = arena.allocate(JAVA_INT);
        inPhase.set(JAVA_INT, 0, 2);
        try (Phase nested = arena.phase()) {
          assertEquals(2, nested.depth());
          inNested = arena.allocate(JAVA_INT);
        }
        assertStale(inNested);
        assertEquals(2, inPhase.get(JAVA_INT, 0));
        assertTrue(phase.isOpen());
      }
      assertStale(inPhase);
      assertEquals(1, outer.get(JAVA_INT, 0));
      assertEquals(4, arena.stats().bytesAllocated());
    }
  }

  @Test
  void closingAnOuterPhaseClosesTheInnerOnes() {
    try (BumpArena arena = BumpArena.ofConfined("nesting")) {
      Phase outer = arena.phase();
      Phase inner = arena.phase();
      MemorySegment s = arena.allocate(8);
      outer.close();
      assertFalse(inner.isOpen());
      inner.close(); // no effect
      assertStale(s);
      arena.reset(); // no phase open any more
    }
  }

  @Test
  void closeInvalidatesEverything() {
    BumpArena arena = BumpArena.ofConfined("closing");
    MemorySegment base = arena.allocate(JAVA_LONG);
    Phase phase = arena.phase();
    MemorySegment inPhase = arena.allocate(JAVA_LONG);
    arena.close();
    assertStale(base);
    assertStale(inPhase);
    assertFalse(phase.isOpen());
    assertFalse(arena.isOpen());
    assertFalse(arena.scope().isAlive());
    assertThrows(IllegalStateException.class, () -> arena.allocate(8));
    assertThrows(IllegalStateException.class, arena::reset);
    assertThrows(IllegalStateException.class, arena::phase);
    arena.close(); // no effect
  }

  @Test
  void resettingOrClosingAParentResetsOrClosesItsSubtree() {
    try (BumpArena parent = BumpArena.ofConfined("parent")) {
      BumpArena child = parent.newChild("child");
      BumpArena grandchild = child.newChild("grandchild");
      MemorySegment c = child.allocate(8);
      MemorySegment g = grandchild.allocate(8);
      parent.reset();
      assertStale(c);
      assertStale(g);
      assertEquals(1, grandchild.stats().resetCount());
      MemorySegment g2 = grandchild.allocate(8);
      parent.close();
      assertStale(g2);
      assertFalse(child.isOpen());
      assertFalse(grandchild.isOpen());
    }
  }

  @Test
  void resetWithAnOpenPhaseIsRefusedAndChangesNothing() {
    try (BumpArena arena = BumpArena.ofConfined("refuse")) {
      MemorySegment base = arena.allocate(JAVA_INT);
      base.set(JAVA_INT, 0, 5);
      BumpArena child = arena.newChild("kid");
      try (Phase p = child.phase()) {
        IllegalStateException e = assertThrows(IllegalStateException.class, arena::reset);
        assertTrue(e.getMessage().contains("\"kid\""), e.getMessage());
      }
      assertEquals(5, base.get(JAVA_INT, 0));
      arena.reset();
      assertStale(base);
    }
  }

  @Test
  void scopeIsTheCurrentEpochsSoFfmApisBindToThePhase() {
    try (BumpArena arena = BumpArena.ofConfined("ffm")) {
      AtomicInteger cleanups = new AtomicInteger();
      MemorySegment native_;
      try (Phase phase = arena.phase()) {
        MemorySegment s = arena.allocate(8);
        assertSame(s.scope(), arena.scope(), "scope() is the scope of what allocate returns now");
        // an FFM API taking an Arena: the result lives as long as the phase
        native_ = s.reinterpret(8, arena, seg -> cleanups.incrementAndGet());
        assertEquals(0, cleanups.get());
      }
      assertEquals(1, cleanups.get(), "the cleanup ran when the phase ended");
      assertStale(native_);
      assertTrue(arena.scope().isAlive(), "the base epoch is open again");
    }
  }

  @Test
  void aSharedArenaPhaseReleasesOnlyItsThreadsAllocations() throws Exception {
    try (BumpArena arena = BumpArena.ofShared("shared")) {
      MemorySegment base = arena.allocate(JAVA_INT);
      MemorySegment[] fromOther = new MemorySegment[1];
      MemorySegment inPhase;
      try (Phase phase = arena.phase()) {
        inPhase = arena.allocate(JAVA_INT);
        Thread t = new Thread(() -> fromOther[0] = arena.allocate(JAVA_INT));
        t.start();
        t.join();
        assertEquals(12, arena.stats().bytesAllocated());
      }
      assertStale(inPhase);
      fromOther[0].set(JAVA_INT, 0, 9); // another thread's allocation outlives this thread's phase
      assertEquals(9, fromOther[0].get(JAVA_INT, 0));
      assertEquals(8, arena.stats().bytesAllocated());
      arena.reset();
      assertStale(base);
      assertStale(fromOther[0]);
    }
  }

  @Test
  void aSharedArenaCannotBeResetOrClosedWhileAnotherThreadHasAPhaseOpen() throws Exception {
    BumpArena arena = BumpArena.ofShared("busy");
    java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try (Phase p = arena.phase()) {
                arena.allocate(8);
                opened.countDown();
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    opened.await();
    assertThrows(IllegalStateException.class, arena::reset);
    IllegalStateException e = assertThrows(IllegalStateException.class, arena::close);
    assertTrue(e.getMessage().contains(t.getName()), e.getMessage());
    assertTrue(arena.isOpen());
    done.countDown();
    t.join();
    arena.close();
    assertFalse(arena.isOpen());
  }

  @Test
  void behavesLikeAJdkArenaOnClose() {
    // The same program against Arena.ofConfined() and BumpArena: both fail the same way.
    for (Arena arena : new Arena[] {Arena.ofConfined(), BumpArena.ofConfined("like-jdk")}) {
      MemorySegment s = arena.allocate(JAVA_INT);
      arena.close();
      assertThrows(IllegalStateException.class, () -> s.get(JAVA_INT, 0));
    }
  }
}
