package dev.arenaguard.cases.useafterclose.correct;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The bulk loader allocates the batch header again after every reset, so each batch writes a
 * header of its own epoch.
 */
public final class BatchLoaderReallocates {
  static final int BATCH = 2;

  static long load(List<String> records, BumpArena arena) {
    MemorySegment header = arena.allocateFrom("BATCH v1");
    long written = 0;
    int inBatch = 0;
    for (String record : records) {
      MemorySegment row = arena.allocateFrom(record);
      written += header.byteSize() + row.byteSize() + header.getString(0).length();
      if (++inBatch == BATCH) {
        arena.reset();
        header = arena.allocateFrom("BATCH v1");
        inBatch = 0;
      }
    }
    return written;
  }

  public static void main(String[] args) {
    try (BumpArena arena = BumpArena.ofConfined("bulk-load")) {
      long written = load(List.of("1,alice", "2,bob", "3,carol"), arena);
      if (written != 3 * (9 + 8) + 8 + 6 + 8) {
        throw new AssertionError(written);
      }
    }
  }
}
