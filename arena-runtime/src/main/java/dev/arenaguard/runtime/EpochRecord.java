package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debug mode's record of one epoch: which arena and phase, where it ended, and the sampled
 * allocation sites. Found from a segment through its scope: {@code segment.scope()} is the
 * epoch's own scope object, so the lookup is exact even after the memory's addresses were reused
 * by later epochs. Held weakly by scope, so records go away with the last segment of the epoch:
 * after a garbage collection, the records of ended epochs that are left are those of which some
 * segment is still reachable &mdash; where a stale segment is kept. A sampled allocation holds its
 * segment weakly for the same reason. A record must not refer to its arena (that would defeat the
 * leak detector).
 */
final class EpochRecord {
  private static final Map<MemorySegment.Scope, EpochRecord> BY_SCOPE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final int MAX_FRAMES = 24;

  /** How many ended epochs {@link #recentlyEnded()} remembers. */
  static final int RECENT = 32;

  /**
   * The last {@value #RECENT} epochs that ended, oldest first; guarded by itself. Summaries, so that
   * they do not keep every allocation site of a large epoch alive.
   */
  private static final ArrayDeque<Ended> RECENTLY_ENDED = new ArrayDeque<>();

  /** What is remembered of a recently ended epoch (not its record: that holds every site). */
  record Ended(
      long arenaId,
      String arena,
      String epoch,
      String endedBy,
      Site endedAt,
      long sampled,
      List<Allocation> first) {}

  /** A sampled allocation: its size, where it was made, and the segment, held weakly. */
  record Allocation(long address, long size, Site site, WeakReference<MemorySegment> segment) {}

  final long arenaId;
  final String arenaName;
  final boolean shared;
  final String arenaCreatedAt;
  final String epoch;
  final Site openedAt;
  final String ownerThread;
  final int sampleRate;
  private final ConcurrentSkipListMap<Long, Allocation> allocations = new ConcurrentSkipListMap<>();
  private final AtomicLong sampled = new AtomicLong();
  private volatile String endedBy;
  private volatile Site endedAt;

  private EpochRecord(
      long arenaId,
      String arenaName,
      boolean shared,
      String arenaCreatedAt,
      String epoch,
      Site openedAt,
      String ownerThread,
      int sampleRate) {
    this.arenaId = arenaId;
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
      long arenaId,
      String arenaName,
      boolean sharedScope,
      String arenaCreatedAt,
      String epoch,
      int sampleRate) {
    EpochRecord record =
        new EpochRecord(
            arenaId,
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

  /**
   * The records of ended epochs whose scope is still reachable, that is, of which some segment
   * (or a slice of one) is still referenced. Call after a garbage collection to make it exact.
   */
  static List<EpochRecord> endedButReachable() {
    List<EpochRecord> found = new ArrayList<>();
    synchronized (BY_SCOPE) {
      BY_SCOPE.forEach(
          (scope, record) -> {
            if (!scope.isAlive()) {
              found.add(record);
            }
          });
    }
    return found;
  }

  /** The epochs that ended last, most recent first. */
  static List<Ended> recentlyEnded() {
    synchronized (RECENTLY_ENDED) {
      return List.copyOf(RECENTLY_ENDED.reversed());
    }
  }

  /** Whether any arena in debug mode ever opened an epoch. */
  static boolean anyRecorded() {
    synchronized (RECENTLY_ENDED) {
      if (!RECENTLY_ENDED.isEmpty()) {
        return true;
      }
    }
    return !BY_SCOPE.isEmpty();
  }

  /** Records the allocation's site if it is sampled. */
  void allocated(MemorySegment segment, long address, long size) {
    if (sampleRate == 1 || ThreadLocalRandom.current().nextInt(sampleRate) == 0) {
      allocations.put(
          address,
          new Allocation(address, size, Site.capture(MAX_FRAMES), new WeakReference<>(segment)));
      sampled.incrementAndGet();
    }
  }

  /** Records where and how the epoch ended ({@code "reset()"}, {@code "phase close"}, ...). */
  void ended(String how) {
    this.endedAt = Site.capture(MAX_FRAMES);
    this.endedBy = how;
    Ended summary =
        new Ended(
            arenaId,
            describeArena(),
            epoch,
            how,
            endedAt,
            sampled.get(),
            firstAllocations(3));
    synchronized (RECENTLY_ENDED) {
      if (RECENTLY_ENDED.size() == RECENT) {
        RECENTLY_ENDED.removeFirst();
      }
      RECENTLY_ENDED.addLast(summary);
    }
  }

  /** {@code confined arena "name"}. */
  String describeArena() {
    return (shared ? "shared" : "confined") + " arena \"" + arenaName + "\"";
  }

  /** How many allocations were sampled. */
  long sampled() {
    return sampled.get();
  }

  /** The first {@code n} sampled allocations, in address order. */
  List<Allocation> firstAllocations(int n) {
    return allocations.values().stream().limit(n).toList();
  }

  /** The sampled allocations whose segment object is still reachable. */
  List<Allocation> reachableAllocations() {
    return allocations.values().stream().filter(a -> a.segment().get() != null).toList();
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
