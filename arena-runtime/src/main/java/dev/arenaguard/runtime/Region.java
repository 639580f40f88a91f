package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * A single-threaded bump allocator with a stack of epochs ({@link Level}s): a confined arena's
 * whole allocator (base epoch plus phases), or one thread's phases on a shared arena. The bump
 * pointer {@code top} moves through the last chunk up to {@code limit}; a level remembers where it
 * began, and ending it rewinds there and gives the chunks taken since back to the arena's memory
 * in one call. Nothing is recorded per allocation, so ending a level costs the same whatever was
 * allocated in it.
 */
final class Region {
  final ArenaImpl arena;
  /** The thread whose phases these are, on a shared arena; null for a confined arena's region. */
  final Thread thread;

  private final boolean zero;
  private Chunk[] chunks = new Chunk[4];
  private int count;
  /** The next free address in the last chunk. */
  private long top;
  /**
   * The end of the last chunk; below {@code top} (-1 when there is no chunk) to send the next
   * allocation to {@link #refill}.
   */
  private long limit = -1;

  private Level[] levels = new Level[4];
  private int depth;
  private Level current;

  Region(ArenaImpl arena, Thread thread) {
    this.arena = arena;
    this.thread = thread;
    this.zero = arena.config.zeroMemory();
  }

  int depth() {
    return depth;
  }

  /** The innermost open level. */
  Level current() {
    return current;
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
    current = level;
    return level;
  }

  /**
   * Allocates {@code size} bytes aligned to {@code align} in the innermost level: a pointer bump
   * (a new chunk when the last one is full), the segment in the level's scope, zeroing, two
   * counters.
   */
  MemorySegment allocate(long size, long align) {
    Level level = current;
    long start = (top + align - 1) & -align;
    if (limit - start >= size) { // also false when start overflowed past the limit
      top = start + size;
    } else {
      start = refill(size, align);
    }
    MemorySegment segment = MemorySegment.ofAddress(start).reinterpret(size, level.scope(), null);
    if (zero) {
      segment.fill((byte) 0);
    }
    level.bytes += size;
    level.allocations++;
    if (level.record() != null) {
      level.record().allocated(segment, start, size);
    }
    return segment;
  }

  /**
   * The slow path of {@link #allocate}: returns the surplus to the OS if an epoch's end left one,
   * then bumps in the last chunk if the request fits there after all, else takes the next chunk.
   */
  private long refill(long size, long align) {
    if (arena.memory.hasSurplus()) {
      arena.memory.trim();
    }
    if (count > 0) {
      Chunk last = chunks[count - 1];
      limit = last.address + last.size;
      long start = (top + align - 1) & -align;
      if (limit - start >= size) {
        top = start + size;
        return start;
      }
    }
    Chunk c = arena.memory.take(size, align, count > 0 ? chunks[count - 1].size : 0);
    if (count == chunks.length) {
      chunks = Arrays.copyOf(chunks, count * 2);
    }
    chunks[count++] = c;
    long start = c.address + c.fit(0, size, align);
    top = start + size;
    limit = c.address + c.size;
    return start;
  }

  /** Bytes allocated in the open levels; from another thread, possibly stale. */
  long bytes() {
    return sumOverOpenLevels(level -> level.bytes);
  }

  /** Allocations made in the open levels; from another thread, possibly stale. */
  long allocations() {
    return sumOverOpenLevels(level -> level.allocations);
  }

  private long sumOverOpenLevels(ToLongFunction<Level> counter) {
    Level[] all = levels; // read once: another thread may push, pop or grow it meanwhile
    int n = Math.min(depth, all.length);
    long sum = 0;
    for (int i = 0; i < n; i++) {
      Level level = all[i];
      if (level != null) {
        sum += counter.applyAsLong(level);
      }
    }
    return sum;
  }

  /**
   * Ends {@code target} and every level above it, innermost first: closes each scope, then
   * rewinds, so chunks are given back only once no open scope can reach them. If the free chunks
   * now exceed the retained capacity, the next allocation returns the surplus to the OS.
   */
  void popTo(Level target, String how) {
    arena.notePeak(arena.bytesNow());
    while (depth > target.index) {
      Level level = levels[--depth];
      levels[depth] = null;
      current = depth > 0 ? levels[depth - 1] : null;
      level.end(how);
      if (count > level.markCount) {
        arena.memory.give(chunks, level.markCount, count);
        arena.resetWork++;
        Arrays.fill(chunks, level.markCount, count, null);
        count = level.markCount;
      }
      top = level.markTop;
      arena.levelEnded(level);
    }
    if (count == 0) {
      limit = -1;
    } else if (arena.memory.hasSurplus()) {
      limit = top - 1;
    } else {
      Chunk last = chunks[count - 1];
      limit = last.address + last.size;
    }
  }
}
