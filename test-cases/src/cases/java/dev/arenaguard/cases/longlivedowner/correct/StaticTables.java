package dev.arenaguard.cases.longlivedowner.correct;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Lookup tables are built once, in a static initialiser, into a static arena and the global
 * arena; the code that runs per call only reads them.
 */
public final class StaticTables {
  static final BumpArena TABLES = BumpArena.ofConfined("tables");
  static final MemorySegment SQUARES;
  static final MemorySegment GREETING = Arena.global().allocateFrom("hello, arena");

  static {
    SQUARES = TABLES.allocate(JAVA_INT, 256);
    for (int i = 0; i < 256; i++) {
      SQUARES.setAtIndex(JAVA_INT, i, i * i);
    }
  }

  static int square(int i) {
    return SQUARES.getAtIndex(JAVA_INT, i & 0xff);
  }

  public static void main(String[] args) {
    try {
      long sum = 0;
      for (int call = 0; call < 2_000; call++) {
        sum += square(call) + GREETING.byteSize();
      }
      if (sum <= 0) {
        throw new AssertionError();
      }
    } finally {
      TABLES.close();
    }
  }
}
