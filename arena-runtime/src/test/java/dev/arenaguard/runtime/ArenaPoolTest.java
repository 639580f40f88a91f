package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Per-request arenas: acquire, allocate, close returns a reset arena to the pool. */
class ArenaPoolTest {

  @Test
  void closeResetsTheArenaAndReturnsItWarm() {
    try (ArenaPool pool = ArenaPool.ofConfined("requests")) {
      MemorySegment kept;
      String name;
      try (BumpArena arena = pool.acquire()) {
        name = arena.name();
        kept = arena.allocate(JAVA_INT);
        arena.allocate(1000);
      }
      assertEquals("requests#1", name);
      assertEquals(1, pool.idleCount());
      assertThrows(IllegalStateException.class, () -> kept.get(JAVA_INT, 0));
      try (BumpArena arena = pool.acquire()) {
        assertEquals(name, arena.name(), "the idle arena is reused");
        ArenaStats s = arena.stats();
        assertEquals(0, s.bytesAllocated());
        assertEquals(1, s.resetCount());
        assertEquals(1, s.chunkReservations(), "its chunk stayed warm");
        assertEquals(0, pool.idleCount());
      }
    }
  }

  @Test
  void aReturnedLeaseIsStale() {
    try (ArenaPool pool = ArenaPool.ofConfined("stale")) {
      BumpArena lease = pool.acquire();
      lease.close();
      lease.close(); // no effect
      assertFalse(lease.isOpen());
      assertFalse(lease.scope().isAlive());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> lease.allocate(8));
      assertTrue(e.getMessage().contains("returned to pool \"stale\""), e.getMessage());
      try (BumpArena next = pool.acquire()) {
        next.allocate(8);
        assertThrows(IllegalStateException.class, () -> lease.allocate(8));
        assertEquals(1, next.stats().allocationCount(), "the stale lease did not touch it");
      }
    }
  }

  @Test
  void releaseEndsPhasesAndClosesChildren() {
    try (ArenaPool pool = ArenaPool.ofConfined("tidy")) {
      BumpArena child;
      Phase phase;
      try (BumpArena arena = pool.acquire()) {
        child = arena.newChild("scratch");
        phase = arena.phase();
        arena.allocate(8);
      }
      assertFalse(child.isOpen());
      assertFalse(phase.isOpen());
      try (BumpArena arena = pool.acquire()) {
        assertTrue(arena.children().isEmpty());
        arena.reset(); // no phase left open
      }
    }
  }

  @Test
  void thePoolKeepsAtMostMaxIdleAndClosesTheRest() {
    try (ArenaPool pool = ArenaPool.of(BumpArena.builder("small"), 1)) {
      BumpArena a = pool.acquire();
      BumpArena b = pool.acquire();
      a.close();
      b.close();
      assertEquals(1, pool.idleCount());
      assertEquals(0, pool.stats().bytesReserved(), "nothing was allocated");
    }
    ArenaPool pool = ArenaPool.ofConfined("closing");
    BumpArena leased = pool.acquire();
    pool.close();
    leased.allocate(8); // leased arenas stay usable
    leased.close();
    assertEquals(0, pool.idleCount(), "given back after close: closed, not pooled");
    assertThrows(IllegalStateException.class, pool::acquire);
    assertThrows(IllegalArgumentException.class,
        () -> ArenaPool.of(BumpArena.builder("x").parent(BumpArena.ofConfined("p")), 1));
  }

  @Test
  void requestsOnManyThreadsEachGetTheirOwnArena() throws Exception {
    try (ArenaPool pool = ArenaPool.ofConfined("server");
        ExecutorService executor = Executors.newFixedThreadPool(4)) {
      List<Callable<Integer>> requests = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int id = i;
        requests.add(
            () -> {
              try (BumpArena arena = pool.acquire()) {
                MemorySegment a = arena.allocate(JAVA_INT, 16);
                for (int k = 0; k < 16; k++) {
                  a.setAtIndex(JAVA_INT, k, id);
                }
                int sum = 0;
                for (int k = 0; k < 16; k++) {
                  sum += a.getAtIndex(JAVA_INT, k) == id ? 1 : 0;
                }
                return sum;
              }
            });
      }
      for (Future<Integer> f : executor.invokeAll(requests)) {
        assertEquals(16, f.get());
      }
      assertTrue(pool.idleCount() <= 4);
      assertEquals(0, pool.stats().bytesAllocated());
    }
  }

  @Test
  void anArenaClosedBehindItsLeaseIsNotPooledAgain() {
    try (ArenaPool pool = ArenaPool.ofConfined("bypassed")) {
      try (BumpArena lease = pool.acquire()) {
        Phase phase = lease.phase();
        phase.arena().close(); // the arena itself, not the lease
        assertFalse(lease.isOpen());
      }
      assertEquals(0, pool.idleCount());
      try (BumpArena next = pool.acquire()) {
        assertEquals("bypassed#2", next.name());
      }
    }
  }

  @Test
  void sharedPoolsWork() {
    try (ArenaPool pool = ArenaPool.ofShared("shared-requests");
        BumpArena arena = pool.acquire()) {
      assertTrue(arena.isShared());
      arena.allocate(8);
    }
  }
}
