package dev.arenaguard.cases.longlivedowner.correct;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * An enum singleton holds an arena for its import batches and resets it in a {@code finally}
 * after each batch, so the arena never holds more than one batch.
 */
public enum ResetPerBatch {
  IMPORTER;

  private final BumpArena batch = BumpArena.ofConfined("import");

  long importBatch(List<String> rows) {
    try {
      long bytes = 0;
      for (String row : rows) {
        MemorySegment record = batch.allocateFrom(row);
        bytes += record.byteSize();
      }
      return bytes;
    } finally {
      batch.reset();
    }
  }

  void shutdown() {
    batch.close();
  }

  public static void main(String[] args) {
    try {
      List<String> rows = List.of("1,alice", "2,bob", "3,carol", "4,dave");
      long bytes = 0;
      for (int i = 0; i < 600; i++) {
        bytes += IMPORTER.importBatch(rows);
      }
      if (bytes != 600L * (8 + 6 + 8 + 7)) {
        throw new AssertionError(bytes);
      }
    } finally {
      IMPORTER.shutdown();
    }
  }
}
