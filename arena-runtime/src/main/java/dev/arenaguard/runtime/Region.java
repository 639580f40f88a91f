package dev.arenaguard.runtime;

import java.util.Arrays;

/**
 * A single-threaded bump allocator with a stack of epochs ({@link Level}s): a confined arena's
 * whole allocator (base epoch plus phases), or one thread's phases on a shared arena. The bump
 * pointer is {@code top} in the last chunk; a level remembers where it began and ending it
 * rewinds there, giving back the chunks taken after that point. Nothing is recorded per
 * allocation, so ending a level costs the same whatever was allocated in it.
 */
final class Region {
  final ArenaImpl arena;
  /** The thread whose phases these are, on a shared arena; null for a confined arena's region. */
  final Thread thread;

  private Chunk[] chunks = new Chunk[4];
  private int count;
  private long top;
  private Level[] levels = new Level[4];
  private int depth;

  Region(ArenaImpl arena, Thread thread) {
    this.arena = arena;
    this.thread = thread;
  }

  int depth() {
    return depth;
  }

  Level top() {
    return levels[depth - 1];
  }

  Level level(int index) {
    return levels[index];
  }

  /** Opens an epoch at the current bump position. */
  Level push(int userDepth) {
    if (depth == levels.length) {
      levels = Arrays.copyOf(levels, depth * 2);
    }
    Level level = new Level(arena, this, depth, userDepth, count, top);
    levels[depth++] = level;
    return level;
  }

  /** The address of {@code size} bytes aligned to {@code align}, taking a chunk if needed. */
  long bump(long size, long align) {
    if (count > 0) {
      Chunk c = chunks[count - 1];
      long start = c.fit(top, size, align);
      if (start >= 0) {
        top = start + size;
        return c.address + start;
      }
    }
    Chunk c = arena.memory.take(size, align);
    if (count == chunks.length) {
      chunks = Arrays.copyOf(chunks, count * 2);
    }
    chunks[count++] = c;
    long start = c.fit(0, size, align);
    top = start + size;
    return c.address + start;
  }

  /**
   * Ends {@code target} and every level above it, innermost first: closes each scope, then
   * rewinds, so chunks are given back only once no open scope can reach them.
   */
  void popTo(Level target, String how) {
    while (depth > target.index) {
      Level level = levels[--depth];
      levels[depth] = null;
      level.end(how);
      while (count > level.markCount) {
        Chunk c = chunks[--count];
        chunks[count] = null;
        arena.memory.give(c);
        arena.resetWork++;
      }
      top = level.markTop;
      arena.levelEnded(level);
    }
  }
}
