package dev.arenaguard.cases.threadconfinement.buggy;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Postings are built in a confined runtime arena and handed to a dedicated indexer thread, which
 * the caller joins; the indexer thread is not the arena's owner.
 */
public final class IndexerThread {
  static int sum(MemorySegment postings) {
    int sum = 0;
    for (long i = 0; i < postings.byteSize() / Integer.BYTES; i++) {
      sum += postings.getAtIndex(JAVA_INT, i);
    }
    return sum;
  }

  public static void main(String[] args) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (BumpArena arena = BumpArena.ofConfined("postings")) {
      MemorySegment postings = arena.allocateFrom(JAVA_INT, 3, 17, 42, 101);
      Thread indexer = new Thread(() -> System.out.println(sum(postings)), "indexer"); // BUG: ArenaThreadConfinement
      indexer.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
      indexer.start();
      indexer.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the indexer thread failed", failure.get());
    }
  }
}
