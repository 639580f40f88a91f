package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * SPEC 3.4, all or nothing: when the JDK refuses to close an epoch's scope because native code is
 * inside a call that was given one of its segments, the reset, phase end or close throws and
 * leaves the epoch exactly as it was &mdash; open, counted, its segments valid, its memory neither
 * freed nor reused &mdash; and a later attempt succeeds, after which the old segments throw. Native
 * code holds the segments through the public FFM API only ({@link NativeHold}).
 */
class RefusedEndTest {

  /** What a refused end must leave as it was. */
  private record Snapshot(ArenaStats stats, ArenaStats tree, boolean open) {
    static Snapshot of(BumpArena arena) {
      return new Snapshot(arena.stats(), arena.treeStats(), arena.isOpen());
    }
  }

  private static MemorySegment filled(BumpArena arena, long size, int seed) {
    MemorySegment s = arena.allocate(size, 8);
    for (long i = 0; i < size; i += 8) {
      s.set(JAVA_LONG, i, seed * 1_000_003L + i);
    }
    return s;
  }

  private static void assertIntact(MemorySegment s, int seed) {
    assertTrue(s.scope().isAlive(), "still valid: " + s);
    for (long i = 0; i < s.byteSize(); i += 8) {
      assertEquals(seed * 1_000_003L + i, s.get(JAVA_LONG, i), "contents at " + i);
    }
  }

  private static void assertStale(MemorySegment s) {
    assertFalse(s.scope().isAlive(), "ended: " + s); // checked first: a live scope on freed memory must not be read
    assertThrows(IllegalStateException.class, () -> s.get(JAVA_BYTE, 0));
  }

  /** Runs {@code end} while {@code qsort} holds {@code held}; returns the refusal. */
  private static IllegalStateException refusedDuringQsort(MemorySegment held, Runnable end) {
    IllegalStateException[] refusal = new IllegalStateException[1];
    NativeHold.duringQsort(held, () -> refusal[0] = assertThrows(IllegalStateException.class, end::run));
    assertNotNull(refusal[0]);
    return refusal[0];
  }

  private static void assertNamesTheCause(IllegalStateException e, String arena, String operation, String epoch) {
    String m = e.getMessage();
    assertTrue(m.contains("\"" + arena + "\""), m);
    assertTrue(m.contains(operation), m);
    assertTrue(m.contains(epoch), m);
    assertTrue(m.contains("native call"), m);
    assertTrue(e.getCause() != null && e.getCause().getMessage().contains("acquired"), "the JDK's refusal is the cause");
  }

  @Test
  void aConfinedResetInsideAnUpcallIsRefusedAndChangesNothing() {
    try (BumpArena arena = BumpArena.builder("upcall").chunkSize(4096).build()) {
      MemorySegment held = filled(arena, 64, 1);
      MemorySegment other = filled(arena, 6000, 2); // a second chunk
      Snapshot before = Snapshot.of(arena);

      IllegalStateException e = refusedDuringQsort(held, arena::reset);

      assertNamesTheCause(e, "upcall", "reset()", "base epoch");
      assertEquals(before, Snapshot.of(arena));
      assertIntact(held, 1);
      assertIntact(other, 2);
      MemorySegment next = filled(arena, 32, 3); // still allocates, in the same epoch
      assertTrue(next.address() >= other.address() + other.byteSize() || next.address() + 32 <= held.address());
      assertEquals(before.stats().allocationCount() + 1, arena.stats().allocationCount());

      arena.reset(); // the call returned: now it succeeds
      assertStale(held);
      assertStale(other);
      assertStale(next);
      assertEquals(1, arena.stats().resetCount());
      assertEquals(0, arena.stats().bytesAllocated());
    }
  }

  @Test
  void aConfinedPhaseCloseInsideAnUpcallIsRefusedAndThePhaseStaysOpen() {
    try (BumpArena arena = BumpArena.builder("phase").chunkSize(4096).build()) {
      MemorySegment base = filled(arena, 16, 1);
      Phase phase = arena.phase();
      MemorySegment held = filled(arena, 10_000, 2); // a chunk of its own
      Snapshot before = Snapshot.of(arena);

      IllegalStateException e = refusedDuringQsort(held, phase::close);

      assertNamesTheCause(e, "phase", "phase close", "phase at depth 1");
      assertTrue(phase.isOpen());
      assertEquals(before, Snapshot.of(arena));
      assertIntact(held, 2);
      MemorySegment inPhase = filled(arena, 16, 3);
      phase.close();
      assertStale(held);
      assertStale(inPhase);
      assertIntact(base, 1);
      assertFalse(phase.isOpen());
      arena.reset();
    }
  }

  @Test
  void aConfinedCloseInsideAnUpcallIsRefusedAndTheArenaStaysOpen() {
    BumpArena arena = BumpArena.builder("close").chunkSize(4096).build();
    MemorySegment held = filled(arena, 10_000, 1);
    Snapshot before = Snapshot.of(arena);

    IllegalStateException e = refusedDuringQsort(held, arena::close);

    assertNamesTheCause(e, "close", "close()", "base epoch");
    assertTrue(arena.isOpen());
    assertTrue(arena.scope().isAlive());
    assertEquals(before, Snapshot.of(arena));
    assertIntact(held, 1);
    arena.close();
    assertFalse(arena.isOpen());
    assertStale(held);
    assertEquals(0, arena.stats().bytesReserved(), "closed: every chunk went back");
  }

  @Test
  void aCloseRefusedAtAPhaseLeavesTheArenaAsItWas() {
    BumpArena arena = BumpArena.builder("close-phase").chunkSize(4096).build();
    MemorySegment base = filled(arena, 64, 1);
    Phase phase = arena.phase();
    MemorySegment held = filled(arena, 64, 2);
    Snapshot before = Snapshot.of(arena);

    refusedDuringQsort(held, arena::close); // the innermost epoch, the phase, is the first to end

    assertEquals(before, Snapshot.of(arena));
    assertTrue(phase.isOpen());
    assertIntact(base, 1);
    assertIntact(held, 2);
    arena.close();
    assertStale(base);
    assertStale(held);
    assertFalse(phase.isOpen());
  }

  @Test
  void aCloseRefusedAtTheBaseEpochKeepsThePhasesItAlreadyEnded() {
    // Epochs end innermost first, each all or nothing: the phase ended, the base epoch refused.
    BumpArena arena = BumpArena.builder("close-base").chunkSize(4096).build();
    MemorySegment held = filled(arena, 64, 1);
    Phase phase = arena.phase();
    MemorySegment inPhase = filled(arena, 64, 2);

    refusedDuringQsort(held, arena::close);

    assertFalse(phase.isOpen());
    assertStale(inPhase);
    assertTrue(arena.isOpen());
    assertIntact(held, 1);
    assertEquals(64, arena.stats().bytesAllocated());
    arena.close();
    assertStale(held);
  }

  @Test
  void aParentResetRefusedAtAChildLeavesTheTreeAsItWas() {
    try (BumpArena parent = BumpArena.builder("parent").chunkSize(4096).build()) {
      MemorySegment inParent = filled(parent, 64, 1);
      BumpArena child = parent.newChild("child");
      MemorySegment held = filled(child, 64, 2);
      Snapshot parentBefore = Snapshot.of(parent);
      Snapshot childBefore = Snapshot.of(child);

      IllegalStateException e = refusedDuringQsort(held, parent::reset);

      assertNamesTheCause(e, "child", "reset()", "base epoch");
      assertEquals(parentBefore, Snapshot.of(parent));
      assertEquals(childBefore, Snapshot.of(child));
      assertIntact(inParent, 1);
      assertIntact(held, 2);
      parent.reset();
      assertStale(inParent);
      assertStale(held);
      assertEquals(1, child.stats().resetCount());
    }
  }

  @Test
  void aSharedResetWhileAnotherThreadIsInADowncallIsRefusedAndChangesNothing() throws Exception {
    BumpArena arena = BumpArena.builder("shared").shared().chunkSize(4096).build();
    MemorySegment held = filled(arena, 10_000, 1);
    MemorySegment other = filled(arena, 64, 2);
    Snapshot before = Snapshot.of(arena);
    try (NativeHold.OnAnotherThread hold = new NativeHold.OnAnotherThread(held)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, arena::reset);
      assertNamesTheCause(e, "shared", "reset()", "base epoch");
      assertEquals(before, Snapshot.of(arena));
      assertThrows(IllegalStateException.class, arena::close);
      assertEquals(before, Snapshot.of(arena));
      assertIntact(held, 1);
      assertIntact(other, 2);
      filled(arena, 64, 3);
    }
    arena.reset();
    assertStale(held);
    assertStale(other);
    MemorySegment next = filled(arena, 64, 4);
    arena.close();
    assertStale(next);
    assertEquals(0, arena.stats().bytesReserved());
  }

  @Test
  void aSharedArenasPhaseCloseInsideAnUpcallIsRefused() {
    try (BumpArena arena = BumpArena.builder("shared-phase").shared().chunkSize(4096).build()) {
      Phase phase = arena.phase();
      MemorySegment held = filled(arena, 64, 1);
      Snapshot before = Snapshot.of(arena);
      refusedDuringQsort(held, phase::close);
      assertTrue(phase.isOpen());
      assertEquals(before, Snapshot.of(arena));
      assertIntact(held, 1);
      phase.close();
      assertStale(held);
    }
  }

  @Test
  void aPooledArenaWhoseReturnIsRefusedStaysLeased() {
    try (ArenaPool pool = ArenaPool.ofConfined("pooled")) {
      BumpArena lease = pool.acquire();
      MemorySegment held = filled(lease, 64, 1);
      refusedDuringQsort(held, lease::close);
      assertTrue(lease.isOpen(), "not returned: its memory is still in use");
      assertEquals(0, pool.idleCount());
      assertIntact(held, 1);
      lease.allocate(8);
      lease.close();
      assertFalse(lease.isOpen());
      assertEquals(1, pool.idleCount());
      assertStale(held);
    }
  }

  @Test
  void inDebugModeARefusedEndIsNotRecordedAsAnEnd() {
    try (BumpArena arena = BumpArena.builder("debug-refused").debug(true).build()) {
      MemorySegment held = filled(arena, 64, 1);
      refusedDuringQsort(held, arena::reset);
      assertTrue(ArenaDebug.explain(held).contains("is live"), ArenaDebug.explain(held));
      arena.reset();
      assertTrue(ArenaDebug.explain(held).contains("use-after-reset"), ArenaDebug.explain(held));
    }
  }

  /** The same program against the JDK's own arena: it refuses too, and closes afterwards. */
  @Test
  void behavesLikeTheJdksConfinedArena() {
    for (Supplier<java.lang.foreign.Arena> make :
        java.util.List.<Supplier<java.lang.foreign.Arena>>of(
            java.lang.foreign.Arena::ofConfined, () -> BumpArena.ofConfined("like-jdk"))) {
      java.lang.foreign.Arena arena = make.get();
      MemorySegment held = arena.allocate(64);
      refusedDuringQsort(held, arena::close);
      assertTrue(held.scope().isAlive());
      arena.close();
      assertFalse(held.scope().isAlive());
    }
  }
}
