package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Run in a JVM of its own by {@link StaleReadAfterRefusedEndTest}: for every kind of end the JDK
 * can refuse, a 64 MiB segment (a chunk of its own, given back to the OS with {@code munmap} when
 * freed) is held by native code while the end is attempted, the end is then completed, and the
 * segment is read. The read must throw {@link IllegalStateException}; reading the freed chunk
 * instead would crash the JVM (SIGSEGV), which the test sees as this process's exit status.
 * Prints {@code start NAME} before and {@code ok NAME} after each scenario.
 */
public final class StaleReadAfterRefusedEnd {
  static final long SIZE = 64L << 20;

  private StaleReadAfterRefusedEnd() {}

  /** A scenario: allocates the large segment, has an end refused, completes it; returns the segment. */
  interface Scenario {
    MemorySegment run() throws Exception;
  }

  static Map<String, Scenario> scenarios() {
    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("confined reset() in an upcall, then reset() and close()", () -> {
      BumpArena arena = untouched("reset").build();
      MemorySegment big = large(arena);
      refusedInUpcall(big, a -> arena.reset());
      arena.reset();
      arena.close();
      return big;
    });
    all.put("confined phase close in an upcall, then close() of the arena", () -> {
      BumpArena arena = untouched("phase").build();
      Phase phase = arena.phase();
      MemorySegment big = large(arena);
      refusedInUpcall(big, a -> phase.close());
      arena.close();
      return big;
    });
    all.put("confined close() in an upcall, then close()", () -> {
      BumpArena arena = untouched("close").build();
      MemorySegment big = large(arena);
      refusedInUpcall(big, a -> arena.close());
      arena.close();
      return big;
    });
    all.put("confined parent reset() refused at a child, then close() of the parent", () -> {
      BumpArena parent = untouched("parent").build();
      BumpArena child = parent.newChild("child");
      MemorySegment big = large(child);
      refusedInUpcall(big, a -> parent.reset());
      parent.close();
      return big;
    });
    all.put("pooled lease close() in an upcall, then close() and the pool's close()", () -> {
      ArenaPool pool = ArenaPool.of(untouched("pool"), 1);
      BumpArena lease = pool.acquire();
      MemorySegment big = large(lease);
      refusedInUpcall(big, a -> lease.close());
      lease.close();
      pool.close();
      return big;
    });
    all.put("shared phase close in an upcall, then close() of the arena", () -> {
      BumpArena arena = untouched("shared-phase").shared().build();
      Phase phase = arena.phase();
      MemorySegment big = large(arena);
      refusedInUpcall(big, a -> phase.close());
      arena.close();
      return big;
    });
    all.put("shared reset() during another thread's downcall, then reset() and close()", () -> {
      BumpArena arena = untouched("shared-reset").shared().build();
      MemorySegment big = large(arena);
      try (NativeHold.OnAnotherThread hold = new NativeHold.OnAnotherThread(big)) {
        expectRefusal(arena::reset);
        expectRefusal(arena::close);
      }
      arena.reset();
      arena.close();
      return big;
    });
    all.put("shared close() during another thread's downcall, then close()", () -> {
      BumpArena arena = untouched("shared-close").shared().build();
      MemorySegment big = large(arena);
      try (NativeHold.OnAnotherThread hold = new NativeHold.OnAnotherThread(big)) {
        expectRefusal(arena::close);
      }
      arena.close();
      return big;
    });
    return all;
  }

  /**
   * Arenas that do not zero: the 64 MiB is never touched but for its last byte, so a scenario costs
   * no 16,384 page faults. (64 MiB, because glibc maps a chunk that large with mmap whatever its
   * adaptive threshold, and unmaps it when freed: a read of it after the free crashes for sure.)
   */
  private static BumpArena.Builder untouched(String name) {
    return BumpArena.builder(name).zeroMemory(false);
  }

  private static MemorySegment large(BumpArena arena) {
    MemorySegment s = arena.allocate(SIZE);
    s.set(JAVA_BYTE, SIZE - 1, (byte) 7);
    return s;
  }

  /** In an upcall from bsearch over the segment (qsort would copy 64 MiB about). */
  private static void refusedInUpcall(MemorySegment held, Consumer<MemorySegment> end) {
    NativeHold.duringBsearch(held, () -> expectRefusal(() -> end.accept(held)));
    if (held.get(JAVA_BYTE, SIZE - 1) != 7) {
      throw new AssertionError("a held segment lost its contents");
    }
  }

  private static void expectRefusal(Runnable end) {
    try {
      end.run();
    } catch (IllegalStateException expected) {
      return;
    }
    throw new AssertionError("the end was not refused");
  }

  public static void main(String[] args) throws Exception {
    int failures = 0;
    for (Map.Entry<String, Scenario> e : scenarios().entrySet()) {
      System.out.println("start " + e.getKey());
      System.out.flush();
      MemorySegment stale;
      try {
        stale = e.getValue().run();
      } catch (Throwable t) {
        System.out.println("FAIL " + e.getKey() + ": " + t);
        failures++;
        continue;
      }
      try {
        byte b = stale.get(JAVA_BYTE, SIZE - 1); // a crash here: the chunk was freed under a live scope
        System.out.println("FAIL " + e.getKey() + ": the stale segment read " + b);
        failures++;
      } catch (IllegalStateException expected) {
        System.out.println("ok " + e.getKey());
      }
      System.out.flush();
    }
    System.exit(failures == 0 ? 0 : 1);
  }
}
