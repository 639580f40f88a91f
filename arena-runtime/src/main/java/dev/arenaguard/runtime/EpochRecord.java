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

  /** How many ended epochs {@link #recentlyEnded()} remembers. */
  static final int RECENT = 32;

  /**
   * The last {@value #RECENT} epochs that ended, oldest first; guarded by itself. (A record holds
   * only its sampled allocations, so keeping a few costs little.)
   */
  private static final ArrayDeque<EpochRecord> RECENTLY_ENDED = new ArrayDeque<>();

  /**
   * The call that opened an epoch ({@code phase()}, {@code reset()}, ...), and where: one epoch in
   * the sample rate records the stacks of its opening and its end, the others only their threads.
   */
  record Opening(String call, Site site) {
    static Opening of(String call, int sampleRate) {
      boolean sampled = sampleRate == 1 || ThreadLocalRandom.current().nextInt(sampleRate) == 0;
      return new Opening(call, sampled ? Site.trace() : Site.unsampled());
    }
  }

  /** A sampled allocation: its size, where it was made, and the segment, held weakly. */
  record Allocation(long address, long size, Site site, WeakReference<MemorySegment> segment) {}

  final long arenaId;
  final String arenaName;
  final boolean shared;
  private final Site arenaCreatedAt;
  private final int depth;
  private final long resets;
  final Opening opening;
  final String ownerThread;
  final int sampleRate;
  /** The sampled allocations by address; made at the first one. */
  private volatile ConcurrentSkipListMap<Long, Allocation> allocations;

  private final AtomicLong sampled = new AtomicLong();
  private volatile String endedBy;
  private volatile Site endedAt;

  private EpochRecord(
      long arenaId,
      String arenaName,
      boolean shared,
      Site arenaCreatedAt,
      int depth,
      long resets,
      Opening opening,
      String ownerThread,
      int sampleRate) {
    this.arenaId = arenaId;
    this.arenaName = arenaName;
    this.shared = shared;
    this.arenaCreatedAt = arenaCreatedAt;
    this.depth = depth;
    this.resets = resets;
    this.opening = opening;
    this.ownerThread = ownerThread;
    this.sampleRate = sampleRate;
  }

  /**
   * Records a newly opened epoch scope (scopes open lazily: at the epoch's first allocation): the
   * base epoch ({@code depth} 0, after {@code resets} resets) or a phase at {@code depth}.
   */
  static EpochRecord open(
      MemorySegment.Scope scope,
      long arenaId,
      String arenaName,
      boolean sharedScope,
      Site arenaCreatedAt,
      int depth,
      long resets,
      Opening opening,
      int sampleRate) {
    EpochRecord record =
        new EpochRecord(
            arenaId,
            arenaName,
            sharedScope,
            arenaCreatedAt,
            depth,
            resets,
            opening,
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
  static List<EpochRecord> recentlyEnded() {
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

  /**
   * How many allocations until the next sampled one: 1 at rate 1, else uniform in [1, 2 rate - 1],
   * one in {@code rate} on average. Drawn once per sample rather than per allocation, so that the
   * allocations between two samples take the fast path.
   */
  static long sampleInterval(int rate) {
    return rate == 1 ? 1 : 1 + ThreadLocalRandom.current().nextLong(2L * rate - 1);
  }

  /** Whether an allocation is sampled, for callers that draw per allocation. */
  boolean sampleThis() {
    return sampleRate == 1 || ThreadLocalRandom.current().nextInt(sampleRate) == 0;
  }

  /** Records a sampled allocation's site. */
  void allocated(MemorySegment segment, long address, long size) {
    ConcurrentSkipListMap<Long, Allocation> map = allocations;
    if (map == null) {
      synchronized (this) {
        map = allocations;
        if (map == null) {
          allocations = map = new ConcurrentSkipListMap<>();
        }
      }
    }
    map.put(address, new Allocation(address, size, Site.trace(), new WeakReference<>(segment)));
    sampled.incrementAndGet();
  }


  /**
   * Records how the epoch ended ({@code "reset()"}, {@code "phase close"}, ...), and where, if its
   * opening was sampled.
   */
  void ended(String how) {
    this.endedAt = opening.site().sampled ? Site.trace() : Site.unsampled();
    this.endedBy = how;
    synchronized (RECENTLY_ENDED) {
      if (RECENTLY_ENDED.size() == RECENT) {
        RECENTLY_ENDED.removeFirst();
      }
      RECENTLY_ENDED.addLast(this);
    }
  }

  /** {@code the phase at depth 2}, {@code the base epoch (after 3 resets)}. */
  String epoch() {
    return ArenaImpl.epochName(depth, resets);
  }

  /** Where the arena was created, as {@code Class.method(File.java:line)}. */
  String arenaCreatedAt() {
    return arenaCreatedAt.top();
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
    ConcurrentSkipListMap<Long, Allocation> map = allocations;
    return map == null ? List.of() : map.values().stream().limit(n).toList();
  }

  /** The sampled allocations whose segment object is still reachable. */
  List<Allocation> reachableAllocations() {
    ConcurrentSkipListMap<Long, Allocation> map = allocations;
    return map == null
        ? List.of()
        : map.values().stream().filter(a -> a.segment().get() != null).toList();
  }

  String endedBy() {
    return endedBy;
  }

  Site endedAt() {
    return endedAt;
  }

  /** The sampled allocation that contains {@code address}, or null. */
  Allocation allocationAt(long address) {
    ConcurrentSkipListMap<Long, Allocation> map = allocations;
    Map.Entry<Long, Allocation> e = map == null ? null : map.floorEntry(address);
    if (e == null) {
      return null;
    }
    long start = e.getKey();
    long size = e.getValue().size();
    return address == start || address - start < size ? e.getValue() : null;
  }
}
