package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Threads allocating and writing concurrently into one shared arena: no overlap, exact totals. */
class SharedArenaStressTest {
  private static final int THREADS = 4;
  private static final int PER_THREAD = 50_000;

  record Allocation(MemorySegment segment, byte mark) {}

  @Test
  void concurrentAllocationsNeverOverlapAndTotalsAreExact() throws Exception {
    try (BumpArena arena = BumpArena.builder("stress").shared().chunkSize(4096).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Callable<List<Allocation>>> tasks = new ArrayList<>();
      long[] expectedBytes = new long[THREADS];
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        tasks.add(
            () -> {
              SplittableRandom random = new SplittableRandom(thread);
              List<Allocation> mine = new ArrayList<>(PER_THREAD);
              for (int i = 0; i < PER_THREAD; i++) {
                long size = 1 + random.nextInt(64);
                long align = 1L << random.nextInt(6);
                MemorySegment s = arena.allocate(size, align);
                if (s.address() % align != 0) {
                  throw new AssertionError("misaligned");
                }
                byte mark = (byte) (thread * 61 + i);
                s.fill(mark);
                mine.add(new Allocation(s, mark));
                expectedBytes[thread] += size;
              }
              return mine;
            });
      }
      List<Allocation> all = new ArrayList<>();
      for (Future<List<Allocation>> f : pool.invokeAll(tasks)) {
        all.addAll(f.get());
      }
      // every segment still holds what its thread wrote: no other allocation overlapped it
      for (Allocation a : all) {
        for (byte b : a.segment().toArray(JAVA_BYTE)) {
          if (b != a.mark()) {
            throw new AssertionError("segment overwritten: " + a.segment());
          }
        }
      }
      all.sort(Comparator.comparingLong(a -> a.segment().address()));
      for (int i = 1; i < all.size(); i++) {
        MemorySegment prev = all.get(i - 1).segment();
        assertTrue(prev.address() + prev.byteSize() <= all.get(i).segment().address(), "overlap");
      }
      long total = 0;
      for (long b : expectedBytes) {
        total += b;
      }
      ArenaStats s = arena.stats();
      assertEquals(total, s.bytesAllocated());
      assertEquals((long) THREADS * PER_THREAD, s.allocationCount());
      assertTrue(s.bytesReserved() >= total);
      arena.reset();
      assertEquals(0, arena.stats().bytesAllocated());
      for (Allocation a : all.subList(0, 100)) {
        assertTrue(!a.segment().scope().isAlive());
      }
    }
  }

  @Test
  void phasesOnSomeThreadsReleaseNothingOfTheOthers() throws Exception {
    try (BumpArena arena = BumpArena.builder("mixed").shared().chunkSize(1024).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Callable<List<Allocation>>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        tasks.add(
            () -> {
              List<Allocation> kept = new ArrayList<>();
              for (int i = 0; i < 5_000; i++) {
                if (thread % 2 == 0) {
                  try (Phase request = arena.phase()) {
                    MemorySegment tmp = arena.allocate(48);
                    tmp.fill((byte) 1);
                  }
                } else {
                  MemorySegment s = arena.allocate(24);
                  s.fill((byte) (thread + i));
                  kept.add(new Allocation(s, (byte) (thread + i)));
                }
              }
              return kept;
            });
      }
      List<Allocation> kept = new ArrayList<>();
      for (Future<List<Allocation>> f : pool.invokeAll(tasks)) {
        kept.addAll(f.get());
      }
      for (Allocation a : kept) {
        for (byte b : a.segment().toArray(JAVA_BYTE)) {
          assertEquals(a.mark(), b);
        }
      }
      ArenaStats s = arena.stats();
      assertEquals(2 * 5_000 * 24, s.bytesAllocated(), "phase bytes were all released");
      assertEquals(4 * 5_000, s.allocationCount());
    }
  }
}
