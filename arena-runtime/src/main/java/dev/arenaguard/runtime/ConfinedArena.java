package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;

/**
 * A confined bump arena: one {@link Region} whose level 0 is the base epoch, all state in plain
 * fields, every operation checked against the owner thread.
 */
final class ConfinedArena extends ArenaImpl {
  /** The owner; changed only by a pool, while no scope of the arena is open. */
  private Thread owner;

  private final Region region;
  private long bytes;
  private long allocations;
  private long baseAllocations;

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
    byteAlignment = Math.max(byteAlignment, MIN_ALIGNMENT);
    if (region.depth() > 1) {
      return allocateIn(region, byteSize, byteAlignment);
    }
    watchdog(baseAllocations, (baseAllocations & 255) == 0);
    MemorySegment segment = allocateIn(region, byteSize, byteAlignment);
    baseAllocations++;
    return segment;
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
    return closed ? CLOSED_SCOPE : region.top().scope().scope();
  }

  @Override
  long bytesNow() {
    return bytes;
  }

  @Override
  long allocationsNow() {
    return allocations;
  }

  @Override
  void counted(long size) {
    bytes += size;
    allocations++;
  }

  @Override
  void uncounted(long released) {
    bytes -= released;
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
    baseAllocations = 0;
    if (startNew) {
      region.push(0);
    }
  }

  @Override
  ArenaImpl makeChild(String childName, Config childConfig) {
    return new ConfinedArena(childName, this, childConfig, owner, null);
  }
}
