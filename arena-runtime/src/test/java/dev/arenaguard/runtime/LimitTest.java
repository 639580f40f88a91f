package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Byte limits refuse an allocation with a clear exception and leave the arena usable. */
class LimitTest {

  @Test
  void exceedingTheLimitThrowsAClearExceptionAndTheArenaStaysUsable() {
    try (BumpArena arena = BumpArena.builder("bounded").byteLimit(1000).build()) {
      arena.allocate(600);
      ArenaLimitExceededException e =
          assertThrows(ArenaLimitExceededException.class, () -> arena.allocate(500));
      assertEquals("bounded", e.arenaName());
      assertEquals("bounded", e.limitedArenaName());
      assertFalse(e.isTreeLimit());
      assertEquals(1000, e.limit());
      assertEquals(500, e.requested());
      assertEquals(600, e.current());
      assertTrue(e.getMessage().contains("\"bounded\""), e.getMessage());
      assertTrue(e.getMessage().contains("limit 1,000 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("500 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("600 bytes"), e.getMessage());
      assertEquals(600, arena.stats().bytesAllocated(), "nothing was allocated");
      assertEquals(1, arena.stats().allocationCount());
      arena.allocate(400).fill((byte) 1); // exactly up to the limit
      assertThrows(ArenaLimitExceededException.class, () -> arena.allocate(1));
      arena.reset();
      arena.allocate(1000);
    }
  }

  @Test
  void aPhaseEndGivesItsBytesBackToTheLimit() {
    try (BumpArena arena = BumpArena.builder("bounded").byteLimit(100).build()) {
      for (int i = 0; i < 1000; i++) {
        try (Phase p = arena.phase()) {
          arena.allocate(100);
        }
      }
      assertThrows(ArenaLimitExceededException.class, () -> arena.allocate(101));
    }
  }

  @Test
  void aChildsAllocationCountsAgainstItsAncestorsTreeLimits() {
    try (BumpArena root = BumpArena.builder("root").treeByteLimit(1000).byteLimit(10_000).build()) {
      BumpArena child = root.newChild("child");
      BumpArena grandchild = child.newChild("grandchild");
      grandchild.allocate(700);
      ArenaLimitExceededException e =
          assertThrows(ArenaLimitExceededException.class, () -> child.allocate(400));
      assertTrue(e.isTreeLimit());
      assertEquals("child", e.arenaName());
      assertEquals("root", e.limitedArenaName());
      assertEquals(700, e.current());
      assertThrows(ArenaLimitExceededException.class, () -> root.allocate(301));
      root.allocate(300);
      child.reset(); // releases the grandchild's 700 too
      child.allocate(700);
      grandchild.close();
      root.allocate(0);
      assertEquals(1000, root.treeStats().bytesAllocated());
    }
  }

  @Test
  void anArenasOwnLimitDoesNotCountItsChildren() {
    try (BumpArena parent = BumpArena.builder("parent").byteLimit(100).build()) {
      BumpArena child = parent.newChild("child");
      child.allocate(10_000);
      parent.allocate(100);
      BumpArena limitedChild = BumpArena.builder("limited-child").parent(parent).byteLimit(50).build();
      assertThrows(ArenaLimitExceededException.class, () -> limitedChild.allocate(51));
      assertEquals(parent, limitedChild.parent().orElseThrow());
    }
  }

  @Test
  void aSharedArenasLimitIsExactUnderConcurrentAllocation() throws Exception {
    long limit = 160_000;
    try (BumpArena arena = BumpArena.builder("shared-bounded").shared().byteLimit(limit).build();
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Callable<Long>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(
            () -> {
              long made = 0;
              try {
                for (; ; ) {
                  arena.allocate(16);
                  made++;
                }
              } catch (ArenaLimitExceededException expected) {
                return made;
              }
            });
      }
      long total = 0;
      for (Future<Long> f : pool.invokeAll(tasks)) {
        total += f.get();
      }
      assertEquals(limit / 16, total);
      assertEquals(limit, arena.stats().bytesAllocated());
    }
  }

  @Test
  void listenersHearARefusedAllocation() {
    List<ArenaLimitExceededException> heard = new CopyOnWriteArrayList<>();
    try (ArenaRegistry.Registration r =
            ArenaRegistry.addListener(
                new ArenaListener() {
                  @Override
                  public void limitExceeded(BumpArena arena, ArenaLimitExceededException e) {
                    heard.add(e);
                  }
                });
        BumpArena arena = BumpArena.builder("heard").byteLimit(10).build()) {
      ArenaLimitExceededException e =
          assertThrows(ArenaLimitExceededException.class, () -> arena.allocate(11));
      assertEquals(List.of(e), heard.stream().filter(x -> x.arenaName().equals("heard")).toList());
    }
  }
}
