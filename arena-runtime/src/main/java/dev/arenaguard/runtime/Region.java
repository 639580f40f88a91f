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
 * <p>The fast path of {@link #allocate} is one bounds test, a bump, one counter and a slice of the
 * last chunk, bound once to the current level's scope ({@code view}); then the zeroing. Everything
 * else &mdash; a new chunk, binding the view after a level or chunk changed, the watchdog's look,
 * byte limits, debug samples, empty allocations &mdash; is the slow path, reached because {@code
 * limit} (the end of the last chunk, or the address of the watchdog's next look) does not leave
 * room, or is -1.
 *
 * <p>The one counter: the fast path counts allocations and bytes in one field, {@code counts}
 * (allocations above bit {@value #BYTES_BITS}, bytes below), because every field it updates is a
 * chain from one allocation to the next through memory: two counters, or a test of one, cost
 * measurably more (about a nanosecond). The slow path folds {@code counts} into the current
 * level's counters ({@link #fold}) whenever it runs, and it runs at least once per chunk; the fast
 * path runs only in a chunk of at most 2<sup>32</sup> bytes and for sizes of at least 1, each
 * allocation moving the pointer by at least 8 bytes, so neither part can overflow.
 */
final class Region {
  final ArenaImpl arena;
  /** The thread whose phases these are, on a shared arena; null for a confined arena's region. */
  final Thread thread;

  private final boolean zero;
  /** Whether every allocation takes the slow path: byte limits and debug samples count each one. */
  private final boolean slowOnly;

  private Chunk[] chunks = new Chunk[4];
  private int count;
  /** The next free address in the last chunk. */
  private long top;
  /**
   * How far the fast path may bump: the end of the last chunk, or before it the address of the
   * watchdog's next look; -1 when {@code view} must be bound again or every allocation takes the
   * slow path.
   */
  private long limit = -1;
  /** The last chunk, bound to the current level's scope; null when it must be bound again. */
  private MemorySegment view;

  private long viewAddress;

  static final int BYTES_BITS = 33;
  private static final long ONE_ALLOCATION = 1L << BYTES_BITS;
  private static final long BYTES_MASK = ONE_ALLOCATION - 1;
  /** The largest chunk the fast path bumps in. */
  private static final long MAX_FAST_CHUNK = 1L << 32;

  /**
   * The current level's allocations and bytes since the last {@link #fold}: {@code allocations <<
   * BYTES_BITS | bytes}. Read by other threads for statistics (possibly stale).
   */
  private long counts;

  /** In a watched (base) epoch, the address past which the watchdog looks again. */
  private long watchAddress;

  private Level[] levels = new Level[4];
  private int depth;
  private Level current;

  Region(ArenaImpl arena, Thread thread) {
    this.arena = arena;
    this.thread = thread;
    this.zero = arena.config.zeroMemory();
    this.slowOnly = arena.limited() || arena.config.debug();
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
    fold();
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
    long start = (top + align - 1) & -align;
    if (limit - start >= size && size != 0) { // false when limit is -1
      top = start + size;
      counts += ONE_ALLOCATION + size;
      MemorySegment segment = view.asSlice(start - viewAddress, size);
      if (zeroIt) {
        segment.fill((byte) 0);
      }
      return segment;
    }
    return allocateSlowly(size, align, zeroIt);
  }

  /** {@link #allocate}, zeroing as the arena's configuration says. */
  MemorySegment allocate(long size, long align) {
    return allocate(size, align, zero);
  }

  private MemorySegment allocateSlowly(long size, long align, boolean zeroIt) {
    arena.checkSize(size);
    fold();
    Level level = current;
    long n = level.allocations;
    boolean look =
        level.watched
            && (n == 0
                || ((top + align - 1) & -align) + size > watchAddress
                || !fitsInLastChunk(size, align));
    if (look) {
      arena.watchdog(n); // may throw (policy THROW): nothing is allocated then
    }
    arena.charge(size);
    long start;
    try {
      start = bump(size, align);
    } catch (RuntimeException | Error e) { // no chunk for it
      arena.release(size);
      throw e;
    }
    Chunk last = chunks[count - 1];
    if (view == null) {
      view = MemorySegment.ofAddress(last.address).reinterpret(last.size, level.scope(), null);
      viewAddress = last.address;
    }
    if (look) {
      watchAddress = nextLook(n + 1);
    }
    long end = last.address + last.size;
    limit =
        slowOnly || last.size > MAX_FAST_CHUNK
            ? -1
            : level.watched ? Math.min(end, watchAddress) : end;
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
    return segment;
  }

  /** Makes the current level's counters exact: adds what the fast path counted since. */
  private void fold() {
    long c = counts;
    if (c != 0) {
      current.allocations += c >>> BYTES_BITS;
      current.bytes += c & BYTES_MASK;
      counts = 0;
    }
  }

  /**
   * Where the watchdog looks next, after {@code n} allocations: {@value ArenaImpl#WATCH_BYTES}
   * bytes on, or sooner, where the allocation that reaches the maximum count must end up: every
   * allocation of at least one byte moves the pointer by 8 bytes or more (it stays 8-aligned), so
   * that allocation cannot end before {@code 8 × (max - n)} bytes on.
   */
  private long nextLook(long n) {
    if (arena.watchdogFired()) {
      return Long.MAX_VALUE;
    }
    long left = arena.config.watchdogMaxAllocations() - n;
    long aligned = (top + ArenaImpl.MIN_ALIGNMENT - 1) & -ArenaImpl.MIN_ALIGNMENT;
    return aligned + Math.max(0, Math.min(ArenaImpl.WATCH_BYTES / 8, left)) * 8;
  }

  private boolean fitsInLastChunk(long size, long align) {
    if (count == 0) {
      return false;
    }
    Chunk last = chunks[count - 1];
    return last.address + last.size - ((top + align - 1) & -align) >= size;
  }

  /** Bumps in the last chunk if the request fits there, else in the next chunk. */
  private long bump(long size, long align) {
    if (fitsInLastChunk(size, align)) {
      long start = (top + align - 1) & -align;
      top = start + size;
      return start;
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
    return sumOverOpenLevels(level -> level.bytes) + (counts & BYTES_MASK);
  }

  /** Allocations made in the open levels; from another thread, possibly stale. */
  long allocations() {
    return sumOverOpenLevels(level -> level.allocations) + (counts >>> BYTES_BITS);
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
      fold(); // the level's counters exact: what it released
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
