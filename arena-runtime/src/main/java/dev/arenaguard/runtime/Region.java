package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * A single-threaded bump allocator with a stack of epochs ({@link Level}s): a confined arena's
 * whole allocator (base epoch plus phases), or one thread's phases on a shared arena. The bump
 * pointer {@code top} moves through the last chunk; a level remembers where it began, and ending it
 * rewinds there and gives the chunks taken since back to the arena's memory in one call. Nothing is
 * recorded per allocation, so ending a level costs the same whatever was allocated in it.
 *
 * <p>The fast path of {@link #allocate} is a bounds test, a bump, a slice of the last chunk bound
 * once to the current level's scope ({@code view}), the zeroing and two counters. Everything else
 * &mdash; a new chunk, binding the view after a level or chunk changed, the watchdog's look, byte
 * limits, debug records &mdash; is the slow path, reached because {@code limit} is then -1.
 */
final class Region {
  final ArenaImpl arena;
  /** The thread whose phases these are, on a shared arena; null for a confined arena's region. */
  final Thread thread;

  private final boolean zero;
  /** Whether every allocation takes the slow path: byte limits count each one. */
  private final boolean slowOnly;

  private Chunk[] chunks = new Chunk[4];
  private int count;
  /** The next free address in the last chunk. */
  private long top;
  /**
   * The end of the last chunk while {@code view} is the last chunk in the current level's scope
   * and the fast path may bump there; -1 otherwise, which sends every allocation to the slow path.
   */
  private long limit = -1;
  /** The last chunk, bound to the current level's scope; null when it must be bound again. */
  private MemorySegment view;

  private long viewAddress;

  private Level[] levels = new Level[4];
  private int depth;
  private Level current;

  Region(ArenaImpl arena, Thread thread) {
    this.arena = arena;
    this.thread = thread;
    this.zero = arena.config.zeroMemory();
    this.slowOnly = arena.limited();
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

  /** Opens an epoch at the current bump position; {@code opening} is its debug-mode origin, or null. */
  Level push(int userDepth, EpochRecord.Opening opening) {
    if (depth == levels.length) {
      levels = Arrays.copyOf(levels, depth * 2);
    }
    Level level = new Level(arena, this, depth, userDepth, count, top, opening);
    levels[depth++] = level;
    current = level;
    unbind(); // the view is in the scope of the level below
    return level;
  }

  /**
   * Allocates {@code size} bytes (at least 0) aligned to {@code align} (a power of two, at least
   * 8) in the innermost level.
   */
  MemorySegment allocate(long size, long align, boolean zeroIt) {
    Level level = current;
    long start = (top + align - 1) & -align;
    if (limit - start >= size && level.allocations < level.lookAt) { // false when limit is -1
      top = start + size;
      MemorySegment segment = view.asSlice(start - viewAddress, size);
      if (zeroIt) {
        segment.fill((byte) 0);
      }
      level.bytes += size;
      level.allocations++;
      return segment;
    }
    return allocateSlowly(level, size, align, zeroIt);
  }

  /** {@link #allocate}, zeroing as the arena's configuration says. */
  MemorySegment allocate(long size, long align) {
    return allocate(size, align, zero);
  }

  private MemorySegment allocateSlowly(Level level, long size, long align, boolean zeroIt) {
    arena.checkSize(size);
    long n = level.allocations;
    if (n >= level.watchAt) {
      arena.watch(level);
    }
    arena.charge(size);
    long start;
    try {
      start = bump(size, align);
    } catch (RuntimeException | Error e) { // no chunk for it
      arena.release(size);
      throw e;
    }
    if (view == null) {
      Chunk last = chunks[count - 1];
      view = MemorySegment.ofAddress(last.address).reinterpret(last.size, level.scope(), null);
      viewAddress = last.address;
      limit = slowOnly ? -1 : last.address + last.size;
    }
    MemorySegment segment = view.asSlice(start - viewAddress, size);
    if (zeroIt) {
      segment.fill((byte) 0);
    }
    level.bytes += size;
    level.allocations++;
    if (n >= level.sampleAt) {
      level.record().allocated(segment, start, size);
      level.sampleAt = n + EpochRecord.sampleInterval(arena.config.sampleRate());
    }
    level.lookAt = Math.min(level.watchAt, level.sampleAt);
    return segment;
  }

  /** Bumps in the last chunk if the request fits there, else in the next chunk. */
  private long bump(long size, long align) {
    if (count > 0) {
      Chunk last = chunks[count - 1];
      long start = (top + align - 1) & -align;
      if (last.address + last.size - start >= size) {
        top = start + size;
        return start;
      }
    }
    Chunk c = arena.memory.take(size, align, count > 0 ? chunks[count - 1].size : 0);
    if (count == chunks.length) {
      chunks = Arrays.copyOf(chunks, count * 2);
    }
    chunks[count++] = c;
    unbind(); // the view is of the chunk before
    long start = c.address + c.fit(0, size, align);
    top = start + size;
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
   * Ends {@code target} and every level above it, innermost first, each all or nothing: a level's
   * scope closes before anything of it changes, and its chunks go back only once it is closed. If
   * the JDK refuses to close a level's scope, throws with that level and every level below it as
   * they were (the levels above it, already ended, stay ended).
   */
  void popTo(Level target, String how) {
    arena.notePeak(arena.bytesNow());
    while (depth > target.index) {
      Level level = levels[depth - 1];
      level.end(how);
      levels[--depth] = null;
      current = depth > 0 ? levels[depth - 1] : null;
      if (count > level.markCount) {
        arena.memory.give(chunks, level.markCount, count);
        arena.resetWork++;
        Arrays.fill(chunks, level.markCount, count, null);
        count = level.markCount;
      }
      top = level.markTop;
      unbind();
      arena.levelEnded(level);
    }
  }

  /** Sends the next allocation to the slow path, which binds the view again. */
  private void unbind() {
    view = null;
    limit = -1;
  }
}
