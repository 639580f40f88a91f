package dev.arenaguard.runtime;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native memory of one arena: every chunk it holds (in use by an epoch, or free and kept for
 * reuse), the retained-capacity policy, and the epoch scopes that are open. It does not refer to
 * the arena object, so that the leak detector can act on it after the arena became unreachable.
 *
 * <p>Invariant: a chunk is given back here only after every scope that could reach it is closed;
 * a chunk is freed only when it is given back, or when no scope of the arena is open or reachable.
 * Methods are synchronized: a shared arena's threads take and give chunks concurrently (at chunk
 * granularity, not per allocation).
 */
final class ArenaMemory {
  private final long chunkSize;
  private final long retainBytes;
  private final ArrayDeque<Chunk> free = new ArrayDeque<>();
  private final Set<Chunk> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Arena> openScopes = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<ArenaMemory> children = new ArrayList<>();
  private long freeBytes;
  private long reservedBytes;
  private long chunkReservations;
  private boolean released;

  ArenaMemory(long chunkSize, long retainBytes) {
    this.chunkSize = chunkSize;
    this.retainBytes = retainBytes;
  }

  /**
   * A chunk in which {@code size} bytes aligned to {@code align} fit at offset 0 or after
   * alignment: a retained one if one fits, else a new one of at least the chunk size.
   */
  synchronized Chunk take(long size, long align) {
    if (released) {
      throw new IllegalStateException("arena memory already released");
    }
    for (Iterator<Chunk> it = free.iterator(); it.hasNext(); ) {
      Chunk c = it.next();
      if (c.fit(0, size, align) >= 0) {
        it.remove();
        freeBytes -= c.size;
        inUse.add(c);
        Chunk.TOP.setVolatile(c, 0L);
        return c;
      }
    }
    long slack = align > NativeMemory.MALLOC_ALIGNMENT ? align - 1 : 0;
    if (size > Long.MAX_VALUE - slack) {
      throw new OutOfMemoryError("allocation of " + size + " bytes is too large");
    }
    long bytes = Math.max(chunkSize, size + slack);
    Chunk c = new Chunk(NativeMemory.malloc(bytes), bytes);
    reservedBytes += bytes;
    chunkReservations++;
    inUse.add(c);
    return c;
  }

  /**
   * Takes back a chunk no open scope can reach: keeps it for reuse within the retained capacity,
   * else returns it to the OS.
   */
  synchronized void give(Chunk c) {
    if (!inUse.remove(c)) {
      throw new AssertionError("chunk given back twice");
    }
    if (freeBytes + c.size <= retainBytes) {
      free.push(c);
      freeBytes += c.size;
    } else {
      NativeMemory.free(c.address);
      reservedBytes -= c.size;
    }
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
    return free.size() + inUse.size();
  }

  synchronized long freeChunks() {
    return free.size();
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
    for (Chunk c : free) {
      NativeMemory.free(c.address);
    }
    for (Chunk c : inUse) {
      NativeMemory.free(c.address);
    }
    free.clear();
    inUse.clear();
    freeBytes = 0;
    reservedBytes = 0;
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
