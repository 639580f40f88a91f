package dev.arenaguard.cases.annotationmisuse.buggy;

import dev.arenaguard.annotations.ArenaScoped;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A request context marks a static field and a primitive result {@code @ArenaScoped}: a static
 * outlives every arena and a primitive holds no memory, so neither can be scoped.
 */
public final class ScopedStaticState {
  @ArenaScoped static MemorySegment current = MemorySegment.NULL; // BUG: ArenaAnnotationMisuse

  @ArenaScoped // BUG: ArenaAnnotationMisuse
  static long remaining(MemorySegment buffer, long used) {
    return buffer.byteSize() - used;
  }

  public static void main(String[] args) {
    try (Arena arena = Arena.ofConfined()) {
      System.out.println(remaining(arena.allocate(64), 10) + " bytes left");
    }
  }
}
