package dev.arenaguard.checker.testdata;

import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A parent class compiled by Maven before the tests run: tests see it only as a class file. */
public abstract class CompiledParent {
  @ArenaScoped
  public abstract MemorySegment scoped(Arena arena);

  public abstract MemorySegment plain(Arena arena);

  public abstract void keep(@OutlivesArena MemorySegment segment);
}
