package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static dev.arenaguard.runtime.TestSupport.onOtherThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Confined arenas and their segments belong to one thread; the JDK enforces it on access. */
class ConfinementTest {

  @Test
  void aConfinedArenasSegmentThrowsWrongThreadExceptionOnAnotherThread() throws Exception {
    try (BumpArena arena = BumpArena.ofConfined("confined")) {
      MemorySegment s = arena.allocate(JAVA_INT);
      s.set(JAVA_INT, 0, 7);
      Object read = onOtherThread(() -> s.get(JAVA_INT, 0));
      assertInstanceOf(WrongThreadException.class, read);
      Object write = onOtherThread(() -> { s.set(JAVA_INT, 0, 1); return null; });
      assertInstanceOf(WrongThreadException.class, write);
      assertEquals(7, s.get(JAVA_INT, 0));
    }
  }

  @Test
  void aConfinedArenaRefusesEveryOperationFromAnotherThread() throws Exception {
    try (BumpArena arena = BumpArena.ofConfined("confined")) {
      Object alloc = onOtherThread(() -> arena.allocate(8));
      assertInstanceOf(WrongThreadException.class, alloc);
      assertTrue(((Throwable) alloc).getMessage().contains("\"confined\""));
      assertInstanceOf(WrongThreadException.class, onOtherThread(arena::phase));
      assertInstanceOf(WrongThreadException.class, onOtherThread(() -> { arena.reset(); return null; }));
      assertInstanceOf(WrongThreadException.class, onOtherThread(() -> { arena.close(); return null; }));
      assertInstanceOf(WrongThreadException.class, onOtherThread(arena::scope));
      assertInstanceOf(WrongThreadException.class, onOtherThread(() -> arena.newChild("c")));
      // statistics are readable from anywhere
      assertInstanceOf(ArenaStats.class, onOtherThread(arena::stats));
      assertTrue(arena.isOpen());
    }
  }

  @Test
  void aPhaseSegmentOfASharedArenaIsConfinedToTheThreadThatOpenedIt() throws Exception {
    try (BumpArena arena = BumpArena.ofShared("shared")) {
      MemorySegment base = arena.allocate(JAVA_INT);
      base.set(JAVA_INT, 0, 1);
      try (Phase phase = arena.phase()) {
        MemorySegment local = arena.allocate(JAVA_INT);
        assertInstanceOf(WrongThreadException.class, onOtherThread(() -> local.get(JAVA_INT, 0)));
        assertEquals(1, onOtherThread(() -> base.get(JAVA_INT, 0)), "base segments are shared");
        assertInstanceOf(WrongThreadException.class, onOtherThread(() -> { phase.close(); return null; }));
      }
    }
  }

  @Test
  void aPooledConfinedArenaFollowsTheThreadThatAcquiredIt() throws Exception {
    try (ArenaPool pool = ArenaPool.ofConfined("requests");
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor()) {
      List<MemorySegment> fromA = new ArrayList<>();
      String nameA =
          a.submit(
                  () -> {
                    try (BumpArena arena = pool.acquire()) {
                      MemorySegment s = arena.allocate(JAVA_INT);
                      s.set(JAVA_INT, 0, 1);
                      return arena.name();
                    }
                  })
              .get();
      Future<String> onB =
          b.submit(
              () -> {
                try (BumpArena arena = pool.acquire()) {
                  MemorySegment s = arena.allocate(JAVA_INT); // owned by B now
                  s.set(JAVA_INT, 0, 2);
                  synchronized (fromA) {
                    fromA.add(s);
                  }
                  Object other = onOtherThread(() -> s.get(JAVA_INT, 0));
                  assertInstanceOf(WrongThreadException.class, other);
                  assertEquals(2, s.get(JAVA_INT, 0));
                  return arena.name();
                }
              });
      assertEquals(nameA, onB.get(), "the same pooled arena served both threads");
      assertEquals(1, pool.idleCount());
    }
  }
}
