package dev.arenaguard.cases.useafterclose.buggy;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A bulk loader resets its arena after each flushed batch, but keeps writing the batch header it
 * allocated before the first reset.
 */
public final class BatchLoader {
  static final int BATCH = 2;

  static long load(List<String> records, BumpArena arena) {
    MemorySegment header = arena.allocateFrom("BATCH v1");
    long written = 0;
    int inBatch = 0;
    for (String record : records) {
      MemorySegment row = arena.allocateFrom(record);
      written += header.byteSize() + row.byteSize() + header.getString(0).length(); // BUG: ArenaUseAfterClose
      if (++inBatch == BATCH) {
        arena.reset();
        inBatch = 0;
      }
    }
    return written;
  }

  public static void main(String[] args) {
    try (BumpArena arena = BumpArena.ofConfined("bulk-load")) {
      System.out.println(load(List.of("1,alice", "2,bob", "3,carol"), arena) + " bytes written");
    }
  }
}
