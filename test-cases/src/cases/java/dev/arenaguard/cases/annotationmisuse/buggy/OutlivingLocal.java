package dev.arenaguard.cases.annotationmisuse.buggy;

import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A local variable is declared {@code @OutlivesArena}: a local ends with its method, so the
 * annotation promises nothing and misleads the reader.
 */
public final class OutlivingLocal {
  static long checksum(String text) {
    try (Arena arena = Arena.ofConfined()) {
      @OutlivesArena MemorySegment bytes = arena.allocateFrom(text); // BUG: ArenaAnnotationMisuse
      long sum = 0;
      for (long i = 0; i < bytes.byteSize(); i++) {
        sum += bytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
      }
      return sum;
    }
  }

  public static void main(String[] args) {
    System.out.println(checksum("arena"));
  }
}
