package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of allocate / write / read / phase open and close / reset / child create,
 * reset and close / arena close, checked after every step against a simple model: live segments
 * keep their contents, no two live segments overlap, every stale segment throws, and each
 * arena's statistics equal the model's.
 *
 * <p>Reproduce a failure with {@code -Darenaguard.model.seed=SEED -Darenaguard.model.sequences=1}
 * (the failure message gives the seed of the failing sequence).
 */
class ModelBasedTest {
  private static final long BASE_SEED = Long.getLong("arenaguard.model.seed", 0x5EED_2025_A12EL);
  private static final int SEQUENCES = Integer.getInteger("arenaguard.model.sequences", 10_000);

  @Test
  void randomSequencesAgreeWithTheModel() {
    long ops = 0;
    for (int i = 0; i < SEQUENCES; i++) {
      long seed = BASE_SEED + i;
      Sequence sequence = new Sequence(seed);
      try {
        sequence.run();
      } catch (Throwable t) {
        String message =
            "model-based test failed for seed "
                + seed
                + " (rerun: -Darenaguard.model.seed="
                + seed
                + " -Darenaguard.model.sequences=1)\nlast operations:\n"
                + sequence.lastOperations();
        System.err.println(message);
        throw new AssertionError(message, t);
      }
      ops += sequence.steps;
    }
    assertTrue(ops >= SEQUENCES * 10L, "every sequence ran at least 10 steps: " + ops);
  }

  /** One random sequence on one arena tree. */
  static final class Sequence {
    private final SplittableRandom random;
    private final ArrayDeque<String> log = new ArrayDeque<>();
    private final List<ModelArena> arenas = new ArrayList<>();
    private final List<ModelSegment> live = new ArrayList<>();
    private final List<ModelSegment> stale = new ArrayList<>();
    private final long chunkSize;
    private final long retain;
    private final boolean shared;
    private final boolean debug;
    int steps;

    Sequence(long seed) {
      this.random = new SplittableRandom(seed);
      this.chunkSize = new long[] {64, 128, 256, 1024, 4096}[random.nextInt(5)];
      this.retain =
          new long[] {0, chunkSize, 4 * chunkSize, Long.MAX_VALUE}[random.nextInt(4)];
      this.shared = random.nextInt(4) == 0;
      this.debug = random.nextInt(20) == 0;
    }

    final class ModelArena {
      final BumpArena real;
      final ModelArena parent;
      final List<ModelArena> children = new ArrayList<>();
      final List<Phase> phases = new ArrayList<>();
      boolean open = true;
      long allocations;
      long resets;
      long liveBytes;
      long peak;

      ModelArena(BumpArena real, ModelArena parent) {
        this.real = real;
        this.parent = parent;
      }

      boolean inSubtreeOf(ModelArena a) {
        for (ModelArena x = this; x != null; x = x.parent) {
          if (x == a) {
            return true;
          }
        }
        return false;
      }

      boolean subtreeHasPhase() {
        if (!phases.isEmpty()) {
          return true;
        }
        for (ModelArena c : children) {
          if (c.subtreeHasPhase()) {
            return true;
          }
        }
        return false;
      }
    }

    record ModelSegment(MemorySegment segment, ModelArena arena, int depth, byte[] content) {}

    void run() {
      BumpArena.Builder builder =
          BumpArena.builder("model")
              .chunkSize(chunkSize)
              .retainOnReset(retain)
              .debug(debug)
              .watchdog(WatchdogPolicy.OFF)
              .leakDetection(false);
      ModelArena root = new ModelArena((shared ? builder.shared() : builder).build(), null);
      arenas.add(root);
      int length = 10 + random.nextInt(50);
      for (int i = 0; i < length && root.open; i++) {
        step(root);
        steps++;
        check();
      }
      if (root.open) {
        note("close root");
        root.real.close();
        closed(root);
        check();
      }
      assertEquals(0, root.real.stats().bytesReserved(), "a closed arena holds no memory");
      for (ModelSegment s : stale) {
        assertStale(s);
      }
    }

    private void step(ModelArena root) {
      List<ModelArena> open = arenas.stream().filter(a -> a.open).toList();
      ModelArena arena = open.get(random.nextInt(open.size()));
      int op = random.nextInt(100);
      if (op < 35) {
        allocate(arena);
      } else if (op < 45) {
        if (!live.isEmpty()) {
          write(live.get(random.nextInt(live.size())));
        }
      } else if (op < 60) {
        if (!live.isEmpty()) {
          ModelSegment s = live.get(random.nextInt(live.size()));
          note("read " + describe(s));
          assertArrayEquals(s.content(), s.segment().toArray(JAVA_BYTE), "contents of " + describe(s));
        }
      } else if (op < 68) {
        note("phase open on " + arena.real.name());
        Phase p = arena.real.phase();
        arena.phases.add(p);
        assertEquals(arena.phases.size(), p.depth());
      } else if (op < 76) {
        closePhase(arena);
      } else if (op < 83) {
        reset(arena);
      } else if (op < 88) {
        if (arenas.size() < 6) {
          String name = arena.real.name() + "/" + arenas.size();
          note("new child " + name);
          ModelArena child = new ModelArena(arena.real.newChild(name), arena);
          arena.children.add(child);
          arenas.add(child);
        }
      } else if (op < 91) {
        if (arena != root) {
          note("close " + arena.real.name());
          arena.real.close();
          closed(arena);
          arena.parent.children.remove(arena);
        }
      } else if (op < 99) {
        if (!stale.isEmpty()) {
          assertStale(stale.get(random.nextInt(stale.size())));
        }
      } else {
        note("close root");
        root.real.close();
        closed(root);
      }
    }

    private void allocate(ModelArena arena) {
      int kind = random.nextInt(100);
      long size =
          kind < 70
              ? random.nextInt(65)
              : kind < 95 ? 65 + random.nextInt(536) : 600 + random.nextInt(5400);
      long align =
          random.nextInt(200) == 0
              ? 4096
              : new long[] {1, 1, 1, 2, 4, 8, 8, 16, 32, 64, 128}[random.nextInt(11)];
      note("allocate " + size + " aligned " + align + " in " + arena.real.name());
      MemorySegment s = arena.real.allocate(size, align);
      assertEquals(size, s.byteSize());
      assertEquals(0, s.address() % align, "alignment");
      assertEquals(0, s.address() % 8, "minimum alignment");
      for (byte b : s.toArray(JAVA_BYTE)) {
        assertEquals(0, b, "a new segment is zeroed");
      }
      if (size > 0) {
        for (ModelSegment other : live) {
          MemorySegment o = other.segment();
          if (o.byteSize() > 0) {
            boolean disjoint =
                s.address() + size <= o.address() || o.address() + o.byteSize() <= s.address();
            assertTrue(disjoint, "new segment overlaps live " + describe(other));
          }
        }
      }
      if (!shared && retain != Long.MAX_VALUE) {
        assertTrue(
            ((ArenaImpl) arena.real).memory.freeBytes() <= retain,
            "an allocation returns the free chunks beyond the retained capacity");
      }
      ModelSegment m = new ModelSegment(s, arena, arena.phases.size(), new byte[(int) size]);
      live.add(m);
      arena.allocations++;
      arena.liveBytes += size;
      arena.peak = Math.max(arena.peak, arena.liveBytes);
      if (random.nextBoolean()) {
        write(m);
      }
    }

    private void write(ModelSegment s) {
      note("write " + describe(s));
      random.nextBytes(s.content());
      MemorySegment.copy(s.content(), 0, s.segment(), JAVA_BYTE, 0, s.content().length);
    }

    private void closePhase(ModelArena arena) {
      if (arena.phases.isEmpty()) {
        return;
      }
      int index =
          random.nextInt(10) < 7 ? arena.phases.size() - 1 : random.nextInt(arena.phases.size());
      note("close phase at depth " + (index + 1) + " of " + arena.real.name());
      Phase p = arena.phases.get(index);
      p.close();
      for (int i = arena.phases.size() - 1; i >= index; i--) {
        assertFalse(arena.phases.get(i).isOpen());
        arena.phases.remove(i);
      }
      invalidate(s -> s.arena() == arena && s.depth() > index);
      p.close(); // a second close has no effect
    }

    private void reset(ModelArena arena) {
      note("reset " + arena.real.name());
      if (arena.subtreeHasPhase()) {
        assertThrows(IllegalStateException.class, arena.real::reset);
        return;
      }
      java.util.Map<ModelArena, Long> reserved = new java.util.HashMap<>();
      for (ModelArena a : arenas) {
        if (a.open && a.inSubtreeOf(arena)) {
          reserved.put(a, a.real.stats().bytesReserved());
        }
      }
      arena.real.reset();
      invalidate(s -> s.arena().inSubtreeOf(arena));
      for (ModelArena a : reserved.keySet()) {
        a.resets++;
        assertEquals(reserved.get(a), a.real.stats().bytesReserved(), "a reset frees nothing");
      }
    }

    private void closed(ModelArena arena) {
      invalidate(s -> s.arena().inSubtreeOf(arena));
      for (ModelArena a : arenas) {
        if (a.inSubtreeOf(arena)) {
          a.open = false;
          a.phases.clear();
          assertFalse(a.real.isOpen());
          assertEquals(0, a.real.stats().bytesReserved());
        }
      }
    }

    private void invalidate(java.util.function.Predicate<ModelSegment> which) {
      for (int i = live.size() - 1; i >= 0; i--) {
        ModelSegment s = live.get(i);
        if (which.test(s)) {
          live.remove(i);
          stale.add(s);
          s.arena().liveBytes -= s.segment().byteSize();
        }
      }
    }

    private void assertStale(ModelSegment s) {
      note("stale access " + describe(s));
      MemorySegment seg = s.segment();
      assertFalse(seg.scope().isAlive());
      if (seg.byteSize() > 0) {
        assertThrows(IllegalStateException.class, () -> seg.get(JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> seg.set(JAVA_BYTE, seg.byteSize() - 1, (byte) 1));
      }
    }

    private void check() {
      for (ModelArena a : arenas) {
        if (!a.open) {
          continue;
        }
        ArenaStats s = a.real.stats();
        assertEquals(a.liveBytes, s.bytesAllocated(), "bytes allocated in " + a.real.name());
        assertEquals(a.allocations, s.allocationCount(), "allocations in " + a.real.name());
        assertEquals(a.resets, s.resetCount(), "resets of " + a.real.name());
        assertEquals(a.peak, s.peakBytesAllocated(), "peak of " + a.real.name());
        assertTrue(s.bytesReserved() >= 0 && s.chunks() <= s.chunkReservations());
        assertEquals(a.children.size(), a.real.children().size());
        ArenaStats tree = a.real.treeStats();
        assertEquals(subtreeBytes(a), tree.bytesAllocated(), "tree bytes of " + a.real.name());
      }
    }

    private long subtreeBytes(ModelArena a) {
      long sum = a.liveBytes;
      for (ModelArena c : a.children) {
        sum += subtreeBytes(c);
      }
      return sum;
    }

    private String describe(ModelSegment s) {
      return String.format(
          "segment 0x%x+%d of %s (depth %d)",
          s.segment().address(), s.segment().byteSize(), s.arena().real.name(), s.depth());
    }

    private void note(String operation) {
      log.addLast(operation);
      if (log.size() > 40) {
        log.removeFirst();
      }
    }

    String lastOperations() {
      return String.join("\n", log)
          + String.format(
              "%n(chunk size %d, retain %d, %s, debug %s)",
              chunkSize, retain, shared ? "shared" : "confined", debug);
    }
  }
}
