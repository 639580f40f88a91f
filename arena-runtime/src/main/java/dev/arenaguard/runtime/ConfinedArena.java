package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;

/**
 * A confined bump arena: one {@link Region} whose level 0 is the base epoch, all state in plain
 * fields, every operation checked against the owner thread. Its statistics are its levels'
 * counters, summed when read.
 */
final class ConfinedArena extends ArenaImpl {
  /** The owner; changed only by a pool, while no scope of the arena is open. */
  private Thread owner;

  private final Region region;

  ConfinedArena(String name, ArenaImpl parent, Config config, Thread owner, ArenaPool pool) {
    super(name, parent, config, pool);
    this.owner = owner;
    this.region = new Region(this, null);
    region.push(0);
  }

  /** A pool hands this (reset, childless) arena to a new thread. */
  void rebind(Thread newOwner) {
    this.owner = newOwner;
  }

  @Override
  public boolean isShared() {
    return false;
  }

  @Override
  void checkAccess() {
    if (Thread.currentThread() != owner) {
      throw new WrongThreadException(
          "arena \""
              + name
              + "\" is confined to thread \""
              + owner.getName()
              + "\"; used from thread \""
              + Thread.currentThread().getName()
              + "\"");
    }
  }

  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    checkAccess();
    checkOpen();
    checkSizeAndAlignment(byteSize, byteAlignment);
    Level level = region.current();
    if (level.allocations >= level.watchAt) { // only ever in the base epoch
      watch(level);
    }
    return allocateIn(region, byteSize, Math.max(byteAlignment, MIN_ALIGNMENT));
  }

  @Override
  public Phase phase() {
    checkAccess();
    checkOpen();
    return region.push(region.depth());
  }

  @Override
  public MemorySegment.Scope scope() {
    checkAccess();
    return closed ? CLOSED_SCOPE : region.current().scope().scope();
  }

  @Override
  long bytesNow() {
    return region.bytes();
  }

  @Override
  long allocationsNow() {
    return endedAllocations.get() + region.allocations();
  }

  @Override
  String openPhase() {
    return region.depth() > 1 ? "a phase is open (depth " + (region.depth() - 1) + ")" : null;
  }

  @Override
  String otherThreadsPhase() {
    return null; // only the owner opens phases
  }

  @Override
  void endOwnPhases(String how) {
    if (region.depth() > 1) {
      region.popTo(region.level(1), how);
    }
  }

  @Override
  void endBaseEpoch(String how, boolean startNew) {
    region.popTo(region.level(0), how);
    if (startNew) {
      region.push(0);
    }
  }

  @Override
  ArenaImpl makeChild(String childName, Config childConfig) {
    return new ConfinedArena(childName, this, childConfig, owner, null);
  }
}
