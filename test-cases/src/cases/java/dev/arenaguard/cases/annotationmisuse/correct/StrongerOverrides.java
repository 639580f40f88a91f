package dev.arenaguard.cases.annotationmisuse.correct;

import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Overrides that make stronger promises than their interfaces: a long-lived result where a scoped
 * one is allowed, and a borrowed parameter where the interface allowed keeping it.
 */
public final class StrongerOverrides {
  interface Buffers {
    @ArenaScoped
    MemorySegment scratch(Arena arena);
  }

  interface Registry {
    void keep(@OutlivesArena MemorySegment value);
  }

  static final class StaticBuffers implements Buffers {
    private static final MemorySegment SHARED = Arena.global().allocate(64);

    @Override
    public MemorySegment scratch(Arena arena) {
      return SHARED;
    }
  }

  static final class CountingRegistry implements Registry {
    long bytes;

    @Override
    public void keep(MemorySegment value) {
      bytes += value.byteSize();
    }
  }

  private static final MemorySegment VERSION = Arena.global().allocate(8);

  public static void main(String[] args) {
    Buffers buffers = new StaticBuffers();
    CountingRegistry registry = new CountingRegistry();
    try (Arena arena = Arena.ofConfined()) {
      registry.keep(buffers.scratch(arena));
      registry.keep(VERSION);
    }
    if (registry.bytes != 72) {
      throw new AssertionError(registry.bytes);
    }
  }
}
