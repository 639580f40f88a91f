package dev.arenaguard.runtime;

import java.lang.foreign.Arena;

/**
 * One epoch of a {@link Region}: a confined arena's base epoch (index 0, never handed out) or a
 * phase. Its JDK scope opens lazily, at the first allocation or {@code scope()} call, on the
 * calling thread, which is why a pooled confined arena works on whichever thread acquired it. It
 * counts its own bytes and allocations; the arena's totals are summed from its levels when read.
 */
final class Level implements Phase {
  final ArenaImpl arena;
  final Region region;
  final int index;
  final int depth;
  final int markCount;
  final long markTop;
  long bytes;
  long allocations;
  /** Whether the retention watchdog looks at this epoch: a base epoch, with the watchdog on. */
  final boolean watched;

  /** In debug mode, the allocation count at which the next allocation site is sampled. */
  long sampleAt = Long.MAX_VALUE;
  boolean open = true;
  private Arena scope;
  private EpochRecord record;
  /** In debug mode, the call that opened the epoch (phase(), reset(), ...), for the report. */
  private EpochRecord.Opening opening;

  Level(ArenaImpl arena, Region region, int index, int depth, int markCount, long markTop, EpochRecord.Opening opening) {
    this.arena = arena;
    this.region = region;
    this.index = index;
    this.depth = depth;
    this.markCount = markCount;
    this.markTop = markTop;
    this.opening = opening;
    this.watched = depth == 0 && arena.config.watchdog() != WatchdogPolicy.OFF;
    if (opening != null) {
      sampleAt = EpochRecord.sampleInterval(arena.config.sampleRate()) - 1;
    }
  }

  Arena scope() {
    Arena s = scope;
    return s != null ? s : open();
  }

  private Arena open() {
    scope = Arena.ofConfined();
    arena.memory.opened(scope);
    if (opening != null) {
      record = arena.openRecord(scope.scope(), false, depth, opening);
    }
    return scope;
  }

  EpochRecord record() {
    return record;
  }

  /** A pooled arena's base epoch, handed to its next user: the report names the acquire. */
  void reopened(EpochRecord.Opening by) {
    opening = by;
  }

  /**
   * Closes the epoch's scope: from here on every segment of the epoch fails on access. All or
   * nothing: if the JDK refuses (a native call holds one of its segments), throws and leaves the
   * epoch as it was.
   */
  void end(String how) {
    if (scope != null) {
      arena.closeScope(scope, how, ArenaImpl.epochName(depth, arena.resetCount()));
      if (record != null) {
        record.ended(how);
      }
      scope = null;
    }
    open = false;
  }

  @Override
  public BumpArena arena() {
    return arena;
  }

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    arena.endPhase(this);
  }

  @Override
  public String toString() {
    return "Phase[arena=" + arena.name + ", depth=" + depth + (open ? ", open]" : ", closed]");
  }
}
