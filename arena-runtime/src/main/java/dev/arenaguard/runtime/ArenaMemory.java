package dev.arenaguard.runtime;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native memory of one arena: every chunk it holds (in use by an epoch, or free and kept for
 * reuse), the sizes of new chunks, the retained-capacity policy, and the epoch scopes that are
 * open. It does not refer to the arena object, so that the leak detector can act on it after the
 * arena became unreachable.
 *
 * <p>Chunks grow geometrically, as bumpalo's do: a region's next new chunk is twice its last one,
 * from the arena's chunk size up to its maximum chunk size (a larger allocation gets a chunk of its
 * own size), so a million small allocations fill a handful of chunks, not hundreds.
 *
 * <p>The end of an epoch gives its chunks back in one call ({@link #give}), without freeing any;
 * taking a chunk ({@link #take}) frees none either. Free chunks beyond the retained capacity (the
 * <em>surplus</em>) go back to the OS on {@link SurplusDecay}'s background thread once they have
 * been surplus for the decay time, or at {@link #releaseAll()}. That keeps {@code free} calls, and
 * glibc's trimming of its heap, off both the allocation path and the end of an epoch.
 *
 * <p>Invariant: a chunk is given back here only after every scope that could reach it is closed;
 * a chunk is freed only when it is free, or when no scope of the arena is open or reachable.
 * Methods are synchronized: a shared arena's threads take and give chunks concurrently (at chunk
 * granularity, not per allocation), and the decay thread frees surplus chunks (it calls {@code
 * free} outside the lock, on chunks it took out of the lists under it).
 */
final class ArenaMemory {
  /** The arena's name, for messages. */
  private final String arena;

  private final long chunkSize;
  private final long maxChunkSize;
  private final long retainBytes;
  private final long decayNanos;
  /**
   * Free chunks, a stack whose top is the first chunk the last epoch took, so that the next epoch
   * takes them back in the same order.
   */
  private Chunk[] free = new Chunk[8];

  private int freeCount;
  private long freeBytes;
  /** Every chunk held, in use or free: a list through {@link Chunk#next}. */
  private Chunk held;

  private long heldCount;
  private long reservedBytes;
  private long chunkReservations;
  private final Set<Arena> openScopes = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<ArenaMemory> children = new ArrayList<>();
  private boolean released;

  /** {@link #surplusSince} while the free chunks fit in the retained capacity. */
  private static final long NO_SURPLUS = Long.MIN_VALUE;

  /** When the free chunks last came to exceed the retained capacity, or {@link #NO_SURPLUS}. */
  private long surplusSince = NO_SURPLUS;

  /** Whether {@link #decay()} is scheduled on the background thread. */
  private boolean decayScheduled;

  ArenaMemory(String arena, long chunkSize, long maxChunkSize, long retainBytes, long decayNanos) {
    this.arena = arena;
    this.chunkSize = chunkSize;
    this.maxChunkSize = Math.max(chunkSize, maxChunkSize);
    this.retainBytes = retainBytes;
    this.decayNanos = decayNanos;
  }

  /**
   * A chunk in which {@code size} bytes aligned to {@code align} fit: a free one if one fits, else
   * a new one of twice {@code lastSize} (the size of the caller's last chunk, 0 if none) within the
   * chunk size limits, or of the request's size if larger. Frees nothing.
   *
   * @throws OutOfMemoryError if {@code malloc} fails, naming the arena; nothing changed then
   */
  synchronized Chunk take(long size, long align, long lastSize) {
    if (released) {
      throw new IllegalStateException("arena memory already released");
    }
    Chunk c = takeFree(size, align);
    if (c != null) {
      if (freeBytes <= retainBytes) {
        surplusSince = NO_SURPLUS; // the surplus is in use again
      }
      return c;
    }
    long slack = align > NativeMemory.MALLOC_ALIGNMENT ? align - 1 : 0;
    long grown = lastSize == 0 ? chunkSize : lastSize >= maxChunkSize / 2 ? maxChunkSize : 2 * lastSize;
    long bytes = Math.max(Math.max(grown, chunkSize), size + slack); // size <= MAX_ALLOCATION: no overflow
    long address;
    try {
      address = NativeMemory.malloc(bytes);
    } catch (OutOfMemoryError e) {
      OutOfMemoryError named =
          new OutOfMemoryError(
              String.format(
                  "arena \"%s\" could not reserve a chunk of %,d bytes for an allocation of %,d: %s;"
                      + " nothing was allocated and the arena is usable",
                  arena, bytes, size, e.getMessage()));
      named.initCause(e);
      throw named;
    }
    c = new Chunk(address, bytes);
    c.next = held;
    if (held != null) {
      held.previous = c;
    }
    held = c;
    heldCount++;
    reservedBytes += bytes;
    chunkReservations++;
    return c;
  }

  /** Removes and returns the free chunk nearest the top in which the request fits, or null. */
  private Chunk takeFree(long size, long align) {
    for (int i = freeCount - 1; i >= 0; i--) {
      Chunk c = free[i];
      if (c.fit(0, size, align) >= 0) {
        System.arraycopy(free, i + 1, free, i, freeCount - i - 1);
        free[--freeCount] = null;
        freeBytes -= c.size;
        Chunk.TOP.setVolatile(c, 0L);
        return c;
      }
    }
    return null;
  }

  /**
   * Takes back {@code chunks[from..to)}, which no open scope can reach, as free chunks. Frees
   * nothing: if the free chunks now exceed the retained capacity, the surplus goes back to the OS
   * on the background thread once it has stayed surplus for the decay time.
   */
  synchronized void give(Chunk[] chunks, int from, int to) {
    int n = to - from;
    if (freeCount + n > free.length) {
      free = Arrays.copyOf(free, Math.max(2 * free.length, freeCount + n));
    }
    for (int i = to - 1; i >= from; i--) {
      free[freeCount++] = chunks[i];
      freeBytes += chunks[i].size;
    }
    if (freeBytes > retainBytes) {
      if (surplusSince == NO_SURPLUS) {
        surplusSince = System.nanoTime();
      }
      if (!decayScheduled) {
        decayScheduled = true;
        SurplusDecay.schedule(this, decayNanos);
      }
    }
  }

  /**
   * Run on the background thread: if the free chunks have exceeded the retained capacity for the
   * whole decay time, returns the surplus to the OS, keeping the free chunks from the top of the
   * stack (those the next epoch takes first) that fit in the retained capacity; if they exceed it
   * since less long, looks again when the time is up.
   */
  void decay() {
    Chunk[] surplus;
    synchronized (this) {
      decayScheduled = false;
      if (released || freeBytes <= retainBytes) {
        surplusSince = NO_SURPLUS;
        return;
      }
      long wait = surplusSince + decayNanos - System.nanoTime();
      if (wait > 0) {
        decayScheduled = true;
        SurplusDecay.schedule(this, wait);
        return;
      }
      surplus = detachSurplus();
    }
    for (Chunk c : surplus) {
      NativeMemory.free(c.address); // outside the lock: an arena taking a chunk does not wait for it
    }
  }

  /** Takes the free chunks beyond the retained capacity out of every list and count. */
  private Chunk[] detachSurplus() {
    int firstKept = freeCount - fittingFromTop();
    Chunk[] surplus = Arrays.copyOf(free, firstKept);
    for (Chunk c : surplus) {
      forget(c);
      freeBytes -= c.size;
    }
    System.arraycopy(free, firstKept, free, 0, freeCount - firstKept);
    Arrays.fill(free, freeCount - firstKept, freeCount, null);
    freeCount -= firstKept;
    surplusSince = NO_SURPLUS;
    return surplus;
  }

  /** How many chunks from the top of the free stack fit in the retained capacity together. */
  private int fittingFromTop() {
    long sum = 0;
    int n = 0;
    for (int i = freeCount - 1; i >= 0 && sum + free[i].size <= retainBytes; i--) {
      sum += free[i].size;
      n++;
    }
    return n;
  }

  /** Takes a chunk out of the list of those held; the caller frees it. */
  private void forget(Chunk c) {
    reservedBytes -= c.size;
    heldCount--;
    if (c.previous != null) {
      c.previous.next = c.next;
    } else {
      held = c.next;
    }
    if (c.next != null) {
      c.next.previous = c.previous;
    }
    c.previous = null;
    c.next = null;
  }

  synchronized void opened(Arena scope) {
    openScopes.add(scope);
  }

  synchronized void closed(Arena scope) {
    openScopes.remove(scope);
  }

  synchronized void addChild(ArenaMemory child) {
    children.add(child);
  }

  synchronized void removeChild(ArenaMemory child) {
    children.remove(child);
  }

  synchronized long reservedBytes() {
    return reservedBytes;
  }

  synchronized long chunks() {
    return heldCount;
  }

  /** Bytes of free chunks, retained or surplus. */
  synchronized long freeBytes() {
    return freeBytes;
  }

  synchronized long chunkReservations() {
    return chunkReservations;
  }

  synchronized boolean isReleased() {
    return released;
  }

  /** Returns every chunk to the OS. Called by close, after every scope of the arena is closed. */
  synchronized void releaseAll() {
    if (released) {
      return;
    }
    released = true;
    while (held != null) {
      Chunk c = held;
      forget(c);
      NativeMemory.free(c.address);
    }
    Arrays.fill(free, 0, freeCount, null);
    freeCount = 0;
    freeBytes = 0;
  }

  private synchronized void releaseTree() {
    releaseAll();
    for (ArenaMemory child : children) {
      child.releaseTree();
    }
  }

  private synchronized long treeReservedBytes() {
    long bytes = reservedBytes;
    for (ArenaMemory child : children) {
      bytes += child.treeReservedBytes();
    }
    return bytes;
  }

  /** Collects, and forgets, the open scopes of this subtree. */
  private synchronized void detachScopes(List<Arena> into) {
    into.addAll(openScopes);
    openScopes.clear();
    for (ArenaMemory child : children) {
      child.detachScopes(into);
    }
  }

  /**
   * The arena owning this memory became unreachable without close(). Segments of its open epochs
   * may still be reachable (they refer to their scope, not to the arena) and would read freed
   * memory, so the memory is freed only once every such scope is unreachable as well; with no
   * open scope it is freed at once.
   *
   * @return whether the memory was freed at once
   */
  boolean leaked() {
    List<Arena> scopes = new ArrayList<>();
    detachScopes(scopes);
    if (scopes.isEmpty()) {
      releaseTree();
      return true;
    }
    AtomicInteger remaining = new AtomicInteger(scopes.size());
    for (Arena scope : scopes) {
      // Registered on the scope object that segments refer to; the action refers to memory only.
      ArenaRegistry.CLEANER.register(
          scope.scope(),
          () -> {
            if (remaining.decrementAndGet() == 0) {
              releaseTree();
            }
          });
    }
    scopes.clear();
    return false;
  }

  long leakedBytes() {
    return treeReservedBytes();
  }
}
