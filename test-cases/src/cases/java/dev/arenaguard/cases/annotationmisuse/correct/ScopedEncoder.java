package dev.arenaguard.cases.annotationmisuse.correct;

import dev.arenaguard.annotations.ArenaScoped;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Annotations where they hold: a method returning memory of its arena parameter, a scoped
 * parameter, a scoped local, and a record whose instances hold arena memory.
 */
public final class ScopedEncoder {
  @ArenaScoped
  record Field(String name, MemorySegment value) {}

  @ArenaScoped
  static MemorySegment encode(String text, Arena arena) {
    return arena.allocateFrom(text);
  }

  @ArenaScoped
  static Field field(String name, String value, Arena arena) {
    @ArenaScoped MemorySegment encoded = encode(value, arena);
    return new Field(name, encoded);
  }

  static long size(@ArenaScoped Field field) {
    return field.value().byteSize();
  }

  public static void main(String[] args) {
    try (Arena arena = Arena.ofConfined()) {
      if (size(field("host", "example.org", arena)) != 12) {
        throw new AssertionError();
      }
    }
  }
}
