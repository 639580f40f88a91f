package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * One lease of a pooled arena, what {@link ArenaPool#acquire()} returns. {@link #close()} gives
 * the arena back to the pool; the lease is then stale and every use of it throws, so code that
 * kept the reference cannot allocate into the arena's next user's request.
 */
final class PooledArena extends FillingAllocator {
  private final ArenaPool pool;
  private final ArenaImpl core;
  private volatile boolean released;

  PooledArena(ArenaPool pool, ArenaImpl core) {
    this.pool = pool;
    this.core = core;
  }

  /** The pooled arena, whether or not this lease was returned. */
  ArenaImpl core() {
    return core;
  }

  ArenaImpl live() {
    if (released) {
      throw new IllegalStateException(
          "arena \""
              + core.name
              + "\" was returned to pool \""
              + pool.name()
              + "\" by close(); this reference to it is stale");
    }
    return core;
  }

  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    return live().allocate(byteSize, byteAlignment);
  }

  @Override
  MemorySegment allocateUninitialized(long byteSize, long byteAlignment) {
    return live().allocateUninitialized(byteSize, byteAlignment);
  }

  @Override
  public MemorySegment.Scope scope() {
    return released ? ArenaImpl.CLOSED_SCOPE : core.scope();
  }

  @Override
  public String name() {
    return core.name;
  }

  @Override
  public boolean isShared() {
    return core.isShared();
  }

  @Override
  public boolean isOpen() {
    return !released && core.isOpen();
  }

  @Override
  public Phase phase() {
    return live().phase();
  }

  @Override
  public void reset() {
    live().reset();
  }

  @Override
  public BumpArena newChild(String name) {
    return live().newChild(name);
  }

  @Override
  public Optional<BumpArena> parent() {
    return Optional.empty();
  }

  @Override
  public Optional<ArenaPool> pool() {
    return Optional.of(pool);
  }

  @Override
  public List<BumpArena> children() {
    return live().children();
  }

  @Override
  public ArenaStats stats() {
    return live().stats();
  }

  @Override
  public ArenaStats treeStats() {
    return live().treeStats();
  }

  @Override
  public String dump() {
    return live().dump();
  }

  /**
   * Closes the children, ends the caller's phases, resets the arena and gives it back to the pool
   * (or closes it, if the pool is full or closed). A second close has no effect. If a native call
   * still holds a segment of the arena, throws {@link IllegalStateException} and the lease stays
   * valid (see {@link BumpArena}, "When native code holds a segment"): close it again once the
   * call has returned.
   */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    pool.release(core);
    released = true;
  }

  @Override
  public String toString() {
    return "PooledBumpArena[" + core.name + (released ? ", returned]" : "]");
  }
}
