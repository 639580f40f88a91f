package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Debug mode's record of one epoch: which arena and phase, where it ended, and the sampled
 * allocation sites. Found from a segment through its scope: {@code segment.scope()} is the
 * epoch's own scope object, so the lookup is exact even after the memory's addresses were reused
 * by later epochs. Held weakly by scope, so records go away with the last segment of the epoch.
 * A record must not refer to its arena (that would defeat the leak detector).
 */
final class EpochRecord {
  private static final Map<MemorySegment.Scope, EpochRecord> BY_SCOPE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final int MAX_FRAMES = 24;

  record Allocation(long size, Site site) {}

  final String arenaName;
  final boolean shared;
  final String arenaCreatedAt;
  final String epoch;
  final Site openedAt;
  final String ownerThread;
  final int sampleRate;
  private final ConcurrentSkipListMap<Long, Allocation> allocations = new ConcurrentSkipListMap<>();
  private volatile String endedBy;
  private volatile Site endedAt;

  private EpochRecord(
      String arenaName,
      boolean shared,
      String arenaCreatedAt,
      String epoch,
      Site openedAt,
      String ownerThread,
      int sampleRate) {
    this.arenaName = arenaName;
    this.shared = shared;
    this.arenaCreatedAt = arenaCreatedAt;
    this.epoch = epoch;
    this.openedAt = openedAt;
    this.ownerThread = ownerThread;
    this.sampleRate = sampleRate;
  }

  /** Records a newly opened epoch scope. */
  static EpochRecord open(
      MemorySegment.Scope scope,
      String arenaName,
      boolean sharedScope,
      String arenaCreatedAt,
      String epoch,
      int sampleRate) {
    EpochRecord record =
        new EpochRecord(
            arenaName,
            sharedScope,
            arenaCreatedAt,
            epoch,
            Site.capture(MAX_FRAMES),
            sharedScope ? null : Thread.currentThread().getName(),
            sampleRate);
    BY_SCOPE.put(scope, record);
    return record;
  }

  static EpochRecord of(MemorySegment.Scope scope) {
    return BY_SCOPE.get(scope);
  }

  /** Records the allocation's site if it is sampled. */
  void allocated(long address, long size) {
    if (sampleRate == 1 || ThreadLocalRandom.current().nextInt(sampleRate) == 0) {
      allocations.put(address, new Allocation(size, Site.capture(MAX_FRAMES)));
    }
  }

  /** Records where and how the epoch ended ({@code "reset()"}, {@code "phase close"}, ...). */
  void ended(String how) {
    this.endedAt = Site.capture(MAX_FRAMES);
    this.endedBy = how;
  }

  String endedBy() {
    return endedBy;
  }

  Site endedAt() {
    return endedAt;
  }

  /** The sampled allocation that contains {@code address}, or null. */
  Allocation allocationAt(long address) {
    Map.Entry<Long, Allocation> e = allocations.floorEntry(address);
    if (e == null) {
      return null;
    }
    long start = e.getKey();
    long size = e.getValue().size();
    return address == start || address - start < size ? e.getValue() : null;
  }
}
