package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;

/**
 * A confined bump arena: one {@link Region} whose level 0 is the base epoch, all state in plain
 * fields, every operation checked against the owner thread. Its statistics are its levels'
 * counters, summed when read.
 */
final class ConfinedArena extends ArenaImpl {
  /**
   * The owner; null once the arena is closed, so that one comparison checks both. Changed by a
   * pool only while no scope of the arena is open.
   */
  private Thread owner;

  private final Region region;

  ConfinedArena(String name, ArenaImpl parent, Config config, Thread owner, ArenaPool pool) {
    super(name, parent, config, pool);
    this.owner = owner;
    this.region = new Region(this, null);
    region.push(0, opening("the arena's creation"));
  }

  @Override
  void acquiredBy(Thread newOwner) {
    this.owner = newOwner;
    region.level(0).reopened(opening("ArenaPool.acquire()"));
  }

  @Override
  public boolean isShared() {
    return false;
  }

  @Override
  void checkAccess() {
    if (Thread.currentThread() != owner) {
      refuseAccess();
    }
  }

  private void refuseAccess() {
    Thread o = owner;
    if (o == null) {
      checkOpen();
      throw new IllegalStateException("arena \"" + name + "\" is closed");
    }
    throw new WrongThreadException(
        "arena \""
            + name
            + "\" is confined to thread \""
            + o.getName()
            + "\"; used from thread \""
            + Thread.currentThread().getName()
            + "\"");
  }

  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    if (Thread.currentThread() != owner) {
      refuseAccess();
    }
    checkSizeAndAlignment(byteSize, byteAlignment);
    return region.allocate(byteSize, Math.max(byteAlignment, MIN_ALIGNMENT));
  }

  @Override
  MemorySegment allocateUninitialized(long byteSize, long byteAlignment) {
    if (Thread.currentThread() != owner) {
      refuseAccess();
    }
    checkSizeAndAlignment(byteSize, byteAlignment);
    return region.allocate(byteSize, Math.max(byteAlignment, MIN_ALIGNMENT), false);
  }

  @Override
  public Phase phase() {
    checkAccess();
    return region.push(region.depth(), opening("phase()"));
  }

  @Override
  public MemorySegment.Scope scope() {
    if (closed) {
      return CLOSED_SCOPE;
    }
    checkAccess();
    return region.current().scope().scope();
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
      region.push(0, opening(how));
    } else {
      closed = true;
      owner = null;
    }
  }

  @Override
  ArenaImpl makeChild(String childName, Config childConfig) {
    return new ConfinedArena(childName, this, childConfig, owner, null);
  }
}
