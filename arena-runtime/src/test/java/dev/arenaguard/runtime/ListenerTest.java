package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The observability seam: listeners hear every life event of every arena. */
class ListenerTest {

  @Test
  void listenersHearCreationPhasesResetsAndClose() {
    List<String> events = new CopyOnWriteArrayList<>();
    ArenaListener listener =
        new ArenaListener() {
          @Override
          public void arenaCreated(BumpArena arena) {
            events.add("created " + arena.name());
          }

          @Override
          public void arenaClosed(BumpArena arena, ArenaStats finalStats) {
            events.add("closed " + arena.name() + " " + finalStats.allocationCount());
          }

          @Override
          public void arenaReset(BumpArena arena, long bytesReleased) {
            events.add("reset " + arena.name() + " " + bytesReleased);
          }

          @Override
          public void phaseEnded(BumpArena arena, int depth, long bytesReleased) {
            events.add("phase " + arena.name() + " " + depth + " " + bytesReleased);
          }
        };
    try (ArenaRegistry.Registration r = ArenaRegistry.addListener(listener)) {
      try (BumpArena arena = BumpArena.ofConfined("watched")) {
        BumpArena child = arena.newChild("watched/child");
        child.allocate(5);
        try (Phase outer = arena.phase()) {
          arena.allocate(10);
          try (Phase inner = arena.phase()) {
            arena.allocate(20);
          }
        }
        arena.allocate(30);
        arena.reset();
      }
      r.close();
      BumpArena.ofConfined("unwatched").close();
    }
    List<String> ours = events.stream().filter(e -> e.contains("watched")).toList();
    assertEquals(
        List.of(
            "created watched",
            "created watched/child",
            "phase watched 2 20",
            "phase watched 1 10",
            "reset watched/child 5", // descendants first
            "reset watched 30",
            "closed watched/child 1",
            "closed watched 3"),
        ours);
  }

  @Test
  void aThrowingListenerDoesNotBreakTheArena() {
    try (ArenaRegistry.Registration r =
            ArenaRegistry.addListener(
                new ArenaListener() {
                  @Override
                  public void arenaReset(BumpArena arena, long bytesReleased) {
                    throw new IllegalStateException("listener bug");
                  }
                });
        BumpArena arena = BumpArena.ofConfined("robust")) {
      arena.allocate(8);
      arena.reset();
      assertEquals(1, arena.stats().resetCount());
    }
  }

  @Test
  void listenersHearAcquisitionsAndArenasKnowTheirPool() {
    List<BumpArena> created = new CopyOnWriteArrayList<>();
    List<BumpArena> acquired = new CopyOnWriteArrayList<>();
    ArenaListener listener =
        new ArenaListener() {
          @Override
          public void arenaCreated(BumpArena arena) {
            if (arena.name().startsWith("leases")) {
              created.add(arena);
            }
          }

          @Override
          public void arenaAcquired(BumpArena lease) {
            if (lease.name().startsWith("leases")) {
              acquired.add(lease);
            }
          }
        };
    try (ArenaPool pool = ArenaPool.ofConfined("leases");
        ArenaRegistry.Registration r = ArenaRegistry.addListener(listener)) {
      BumpArena first = pool.acquire();
      assertEquals(1, created.size());
      assertSame(pool, created.get(0).pool().orElseThrow(), "the pool is known at creation");
      assertEquals(List.of(first), acquired);
      assertSame(pool, first.pool().orElseThrow());
      assertTrue(first.newChild("child").pool().isEmpty(), "children belong to their parent");
      first.close();
      assertFalse(acquired.get(0).isOpen(), "a returned lease is closed");
      assertTrue(created.get(0).isOpen(), "the pooled arena stays open, idle");
      BumpArena second = pool.acquire();
      assertEquals(1, created.size(), "reused, not created");
      assertEquals(List.of(first, second), acquired);
      assertTrue(second.isOpen());
      second.close();
    }
    try (BumpArena plain = BumpArena.ofConfined("not-pooled")) {
      assertTrue(plain.pool().isEmpty());
    }
  }
}
