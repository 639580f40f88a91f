package dev.arenaguard.cases.threadconfinement.correct;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Each task takes its own confined arena from a pool on the worker thread that runs it, so every
 * arena is used only by the thread that acquired it.
 */
public final class ArenaPerWorker {
  private static final ArenaPool SCRATCH = ArenaPool.ofConfined("worker-scratch");

  static long render(String template, int id) {
    try (BumpArena arena = SCRATCH.acquire()) {
      MemorySegment page = arena.allocateFrom(template.replace("{id}", Integer.toString(id)));
      return page.byteSize();
    }
  }

  public static void main(String[] args) throws Exception {
    try (ExecutorService workers = Executors.newFixedThreadPool(2)) {
      List<Future<Long>> pages = new ArrayList<>();
      for (int id = 0; id < 100; id++) {
        int page = id;
        pages.add(workers.submit(() -> render("<h1>order {id}</h1>", page)));
      }
      long bytes = 0;
      for (Future<Long> f : pages) {
        bytes += f.get();
      }
      if (bytes <= 0) {
        throw new AssertionError();
      }
    } finally {
      SCRATCH.close();
    }
  }
}
