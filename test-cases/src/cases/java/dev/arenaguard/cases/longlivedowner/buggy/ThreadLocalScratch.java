package dev.arenaguard.cases.longlivedowner.buggy;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;

/**
 * A per-thread scratch arena kept in a {@code ThreadLocal} serves a string normaliser; every call
 * allocates its buffer there, and the arena is never reset.
 */
public final class ThreadLocalScratch {
  private static final ThreadLocal<BumpArena> SCRATCH = // BUG: ArenaLongLivedOwner
      ThreadLocal.withInitial(() -> BumpArena.ofConfined("scratch"));

  static String lowerAscii(String s) {
    MemorySegment buffer = SCRATCH.get().allocateFrom(s); // BUG: ArenaLongLivedOwner
    for (long i = 0; i < buffer.byteSize() - 1; i++) {
      byte b = buffer.get(JAVA_BYTE, i);
      if (b >= 'A' && b <= 'Z') {
        buffer.set(JAVA_BYTE, i, (byte) (b + 32));
      }
    }
    return buffer.getString(0);
  }

  public static void main(String[] args) {
    try {
      int changed = 0;
      for (int i = 0; i < 2_000; i++) {
        changed += lowerAscii("Content-Type").equals("content-type") ? 1 : 0;
      }
      System.out.println(changed + " headers normalised");
    } finally {
      SCRATCH.get().close();
      SCRATCH.remove();
    }
  }
}
