package dev.arenaguard.cases.longlivedowner.correct;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;

/**
 * A server keeps a pool of arenas in a static field and takes one per request; closing the lease
 * resets the arena and returns it, so memory stays bounded however many requests come.
 */
public final class PooledRequests {
  private static final ArenaPool REQUESTS = ArenaPool.ofConfined("request");

  static long handle(String path) {
    try (BumpArena arena = REQUESTS.acquire()) {
      MemorySegment nativePath = arena.allocateFrom(path);
      MemorySegment response = arena.allocate(256);
      return nativePath.byteSize() + response.byteSize();
    }
  }

  public static void main(String[] args) {
    try {
      long bytes = 0;
      for (int request = 0; request < 2_000; request++) {
        bytes += handle("/api/orders/" + request);
      }
      if (bytes <= 0) {
        throw new AssertionError();
      }
    } finally {
      REQUESTS.close();
    }
  }
}
