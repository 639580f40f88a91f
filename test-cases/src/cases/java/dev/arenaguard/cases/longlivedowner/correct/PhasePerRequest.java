package dev.arenaguard.cases.longlivedowner.correct;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import java.lang.foreign.MemorySegment;

/**
 * A long-lived arena in a static field serves every request, and each request's allocations sit
 * inside a {@code phase()} that releases them when the request ends.
 */
public final class PhasePerRequest {
  static final BumpArena SERVER = BumpArena.ofConfined("server");

  static long handle(String query) {
    try (Phase request = SERVER.phase()) {
      MemorySegment text = SERVER.allocateFrom(query);
      MemorySegment plan = SERVER.allocate(128);
      return text.byteSize() + plan.byteSize();
    }
  }

  public static void main(String[] args) {
    try {
      long bytes = 0;
      for (int request = 0; request < 2_000; request++) {
        bytes += handle("SELECT * FROM t WHERE id = " + request);
      }
      if (SERVER.stats().bytesAllocated() != 0 || bytes <= 0) {
        throw new AssertionError(SERVER.dump());
      }
    } finally {
      SERVER.close();
    }
  }
}
