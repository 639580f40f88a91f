package dev.arenaguard.cases.annotationmisuse.buggy;

import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A buffer factory promises both that its result is memory of the caller's arena and that it
 * outlives every arena: the two annotations contradict each other.
 */
public final class ConflictingContract {
  @ArenaScoped @OutlivesArena // BUG: ArenaAnnotationMisuse
  static MemorySegment lineBuffer(Arena arena) {
    return arena.allocate(128);
  }

  public static void main(String[] args) {
    try (Arena arena = Arena.ofConfined()) {
      System.out.println(lineBuffer(arena).byteSize() + " bytes");
    }
  }
}
