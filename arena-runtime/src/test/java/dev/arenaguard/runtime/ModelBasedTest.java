package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of allocate / write / read / phase open and close / reset / child create,
 * reset and close / arena close, and of those ends attempted while native code holds a segment
 * (SPEC 3.4), checked after every step against a simple model: live segments keep their contents,
 * no two live segments overlap, every stale segment throws, each arena's statistics equal the
 * model's, and no allocation or end of an epoch frees a chunk.
 *
 * <p>A refused end: a live segment is held by a native call &mdash; on this thread, the end runs in
 * an upcall from {@code qsort} sorting the segment (from {@code bsearch} over it, for a segment of
 * fewer than two bytes); or, for a shared arena's base epoch, another thread is inside a {@code
 * bsearch} over it &mdash; and a reset, phase close or close is attempted. Epochs end in a fixed order, each all or nothing (descendants first, phases innermost
 * first, then the base epoch): the model ends them in that order up to the held segment's epoch,
 * where the real call must throw, leaving that epoch and all after it exactly as they were.
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
    long refused = 0;
    long refusedOnAnotherThread = 0;
    int sequencesWithARefusal = 0;
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
      refused += sequence.refused;
      refusedOnAnotherThread += sequence.refusedOnAnotherThread;
      sequencesWithARefusal += sequence.refused > 0 ? 1 : 0;
    }
    assertTrue(ops >= SEQUENCES * 10L, "every sequence ran at least 10 steps: " + ops);
    if (SEQUENCES >= 1000) {
      assertTrue(refused >= SEQUENCES, "refused ends: " + refused);
      assertTrue(sequencesWithARefusal >= SEQUENCES / 2, "sequences with one: " + sequencesWithARefusal);
      assertTrue(refusedOnAnotherThread >= SEQUENCES / 100, "on another thread: " + refusedOnAnotherThread);
    }
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
    int refused;
    int refusedOnAnotherThread;

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

    /** {@code depth} 0: the arena's base epoch; n: its n-th phase. */
    record ModelSegment(MemorySegment segment, ModelArena arena, int depth, byte[] content) {}

    /** One epoch that an end operation ends, in the order the runtime ends them. */
    record EpochEnd(ModelArena arena, int depth, Kind kind) {
      enum Kind {
        PHASE,
        RESET,
        CLOSE
      }
    }

    void run() {
      BumpArena.Builder builder =
          BumpArena.builder("model")
              .chunkSize(chunkSize)
              .retainOnReset(retain)
              .surplusDecay(Duration.ofHours(1)) // nothing is freed behind the model's back
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
        apply(closeOrder(root));
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
      if (op < 32) {
        allocate(arena);
      } else if (op < 41) {
        if (!live.isEmpty()) {
          write(live.get(random.nextInt(live.size())));
        }
      } else if (op < 54) {
        if (!live.isEmpty()) {
          read(live.get(random.nextInt(live.size())));
        }
      } else if (op < 62) {
        note("phase open on " + arena.real.name());
        Phase p = arena.real.phase();
        arena.phases.add(p);
        assertEquals(arena.phases.size(), p.depth());
      } else if (op < 69) {
        if (!arena.phases.isEmpty()) {
          int index = phaseToClose(arena);
          note("close phase at depth " + (index + 1) + " of " + arena.real.name());
          Phase p = arena.phases.get(index);
          p.close();
          apply(phaseCloseOrder(arena, index));
          p.close(); // a second close has no effect
        }
      } else if (op < 75) {
        reset(arena);
      } else if (op < 80) {
        if (arenas.size() < 6) {
          String name = arena.real.name() + "/" + arenas.size();
          note("new child " + name);
          ModelArena child = new ModelArena(arena.real.newChild(name), arena);
          arena.children.add(child);
          arenas.add(child);
        }
      } else if (op < 83) {
        if (arena != root) {
          note("close " + arena.real.name());
          arena.real.close();
          apply(closeOrder(arena));
        }
      } else if (op < 90) {
        if (!stale.isEmpty()) {
          assertStale(stale.get(random.nextInt(stale.size())));
        }
      } else if (op < 99) {
        refusedEnd(root);
      } else {
        note("close root");
        root.real.close();
        apply(closeOrder(root));
      }
    }

    private int phaseToClose(ModelArena arena) {
      return random.nextInt(10) < 7 ? arena.phases.size() - 1 : random.nextInt(arena.phases.size());
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
      long reserved = arena.real.stats().bytesReserved();
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
      assertTrue(arena.real.stats().bytesReserved() >= reserved, "an allocation frees nothing");
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

    private void read(ModelSegment s) {
      note("read " + describe(s));
      assertArrayEquals(s.content(), s.segment().toArray(JAVA_BYTE), "contents of " + describe(s));
    }

    private void reset(ModelArena arena) {
      note("reset " + arena.real.name());
      if (arena.subtreeHasPhase()) {
        assertThrows(IllegalStateException.class, arena.real::reset);
        return;
      }
      Map<ModelArena, Long> reserved = reservedInSubtree(arena);
      arena.real.reset();
      apply(resetOrder(arena));
      reserved.forEach(
          (a, bytes) -> assertEquals(bytes, a.real.stats().bytesReserved(), "a reset frees nothing"));
    }

    private Map<ModelArena, Long> reservedInSubtree(ModelArena arena) {
      Map<ModelArena, Long> reserved = new HashMap<>();
      for (ModelArena a : arenas) {
        if (a.open && a.inSubtreeOf(arena)) {
          reserved.put(a, a.real.stats().bytesReserved());
        }
      }
      return reserved;
    }

    // ---- refused ends

    /**
     * Holds a live segment in a native call and attempts an end: one that reaches the segment's
     * epoch (usually) or not. The model predicts which epochs end before the refusal.
     */
    private void refusedEnd(ModelArena root) {
      if (live.isEmpty()) {
        return;
      }
      ModelSegment held = live.get(random.nextInt(live.size()));
      ModelArena target = held.arena();
      for (ModelArena a = target.parent; a != null && random.nextInt(3) == 0; a = a.parent) {
        target = a; // an ancestor's end reaches the segment too
      }
      if (random.nextInt(5) == 0) {
        List<ModelArena> open = arenas.stream().filter(a -> a.open).toList();
        target = open.get(random.nextInt(open.size())); // any end, perhaps one that does not reach it
      }
      ModelArena arena = target;
      String what;
      Runnable end;
      List<EpochEnd> order;
      int kind = random.nextInt(3);
      if (kind == 0 && !arena.phases.isEmpty()) {
        int index = phaseToClose(arena);
        Phase p = arena.phases.get(index);
        what = "close phase at depth " + (index + 1) + " of " + arena.real.name();
        end = p::close;
        order = phaseCloseOrder(arena, index);
      } else if (kind == 1 && (arena != root || random.nextInt(3) == 0)) {
        what = "close " + arena.real.name();
        end = arena.real::close;
        order = closeOrder(arena);
      } else if (!arena.subtreeHasPhase()) {
        what = "reset " + arena.real.name();
        end = arena.real::reset;
        order = resetOrder(arena);
      } else {
        return;
      }
      boolean otherThread = shared && held.depth() == 0 && random.nextInt(3) == 0;
      note("hold " + describe(held) + (otherThread ? " on another thread" : " in an upcall") + ", " + what);
      int at = refusedAt(order, held);
      Map<ModelArena, Long> reserved = reservedInSubtree(root);
      Throwable[] thrown = new Throwable[1];
      Runnable attempt =
          () -> {
            try {
              end.run();
            } catch (Throwable t) {
              thrown[0] = t;
            }
            if (!stale.isEmpty()) {
              assertStale(stale.get(random.nextInt(stale.size()))); // while native code holds memory
            }
            read(held);
          };
      if (otherThread) {
        try (NativeHold.OnAnotherThread hold = new NativeHold.OnAnotherThread(held.segment())) {
          attempt.run();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      } else if (held.segment().byteSize() >= 2) {
        NativeHold.duringQsort(held.segment(), attempt); // equal elements: nothing moves
      } else {
        NativeHold.duringBsearch(held.segment(), attempt);
      }
      if (at < order.size()) {
        assertTrue(thrown[0] instanceof IllegalStateException, "refused: " + thrown[0]);
        assertTrue(thrown[0].getMessage().contains("native call"), thrown[0].getMessage());
        refused++;
        refusedOnAnotherThread += otherThread ? 1 : 0;
      } else if (thrown[0] != null) {
        throw new AssertionError("an end that does not reach the held segment failed", thrown[0]);
      }
      apply(order.subList(0, at));
      reserved.forEach(
          (a, bytes) -> {
            if (a.open) {
              assertEquals(bytes, a.real.stats().bytesReserved(), "an end frees nothing");
            }
          });
      read(held);
    }

    /** Where in {@code order} the held segment's epoch is, or {@code order.size()}. */
    private static int refusedAt(List<EpochEnd> order, ModelSegment held) {
      for (int i = 0; i < order.size(); i++) {
        EpochEnd e = order.get(i);
        if (e.arena() == held.arena() && e.depth() == held.depth()) {
          return i;
        }
      }
      return order.size();
    }

    // ---- the order in which the runtime ends epochs, and what each end does

    private static List<EpochEnd> phaseCloseOrder(ModelArena arena, int index) {
      List<EpochEnd> order = new ArrayList<>();
      for (int depth = arena.phases.size(); depth > index; depth--) {
        order.add(new EpochEnd(arena, depth, EpochEnd.Kind.PHASE));
      }
      return order;
    }

    private static List<EpochEnd> resetOrder(ModelArena arena) {
      List<EpochEnd> order = new ArrayList<>();
      for (ModelArena child : arena.children) {
        order.addAll(resetOrder(child));
      }
      order.add(new EpochEnd(arena, 0, EpochEnd.Kind.RESET));
      return order;
    }

    private static List<EpochEnd> closeOrder(ModelArena arena) {
      List<EpochEnd> order = new ArrayList<>();
      for (ModelArena child : arena.children) {
        order.addAll(closeOrder(child));
      }
      order.addAll(phaseCloseOrder(arena, 0));
      order.add(new EpochEnd(arena, 0, EpochEnd.Kind.CLOSE));
      return order;
    }

    private void apply(List<EpochEnd> ended) {
      for (EpochEnd e : ended) {
        ModelArena a = e.arena();
        invalidate(s -> s.arena() == a && s.depth() == e.depth());
        switch (e.kind()) {
          case PHASE -> {
            Phase p = a.phases.remove(e.depth() - 1);
            assertFalse(p.isOpen(), "ended: " + p);
          }
          case RESET -> a.resets++;
          case CLOSE -> {
            a.open = false;
            assertFalse(a.real.isOpen());
            assertEquals(0, a.real.stats().bytesReserved());
            if (a.parent != null) {
              a.parent.children.remove(a);
            }
          }
        }
      }
    }

    private void invalidate(Predicate<ModelSegment> which) {
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
      assertFalse(seg.scope().isAlive()); // first: a live scope over freed memory must not be read
      if (seg.byteSize() > 0) {
        assertThrows(IllegalStateException.class, () -> seg.get(JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> seg.set(JAVA_BYTE, seg.byteSize() - 1, (byte) 1));
      }
    }

    private void check() {
      for (ModelArena a : arenas) {
        assertEquals(a.open, a.real.isOpen(), "isOpen of " + a.real.name());
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
        for (Phase p : a.phases) {
          assertTrue(p.isOpen(), "open: " + p);
        }
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
