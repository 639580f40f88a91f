package dev.arenaguard.cases.longlivedowner.buggy;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A base class keeps one arena in a static field and every call allocates from it (SPEC §5):
 * memory grows per call and nothing ever returns it.
 */
public class NativeCodec {
  static final Arena ARENA = BumpArena.ofShared("codec"); // BUG: ArenaLongLivedOwner

  protected MemorySegment encode(String text) {
    return ARENA.allocateFrom(text); // BUG: ArenaLongLivedOwner
  }

  static final class HeaderCodec extends NativeCodec {
    long headerLength(String name, String value) {
      return encode(name + ": " + value).byteSize();
    }
  }

  public static void main(String[] args) {
    HeaderCodec codec = new HeaderCodec();
    try {
      long total = 0;
      for (int request = 0; request < 5_000; request++) {
        total += codec.headerLength("x-request-id", Integer.toString(request));
      }
      System.out.println(total + " bytes of headers encoded");
    } finally {
      ARENA.close(); // at shutdown: too late to bound the growth
    }
  }
}
