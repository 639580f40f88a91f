package dev.arenaguard.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * A shared bump arena. The base epoch is one shared JDK scope; threads bump its current chunk's
 * offset with a compare-and-set and take a lock only to install the next chunk. The base epoch's
 * counters are {@link LongAdder}s so that concurrent allocation does not contend on them. Phases
 * are per thread: a thread with an open phase allocates from a {@link Region} of its own (own
 * chunks, confined scopes, plain counters), so ending the phase is cheap and releases nothing of
 * other threads.
 *
 * <p>The lock also orders the arena's close against threads opening phases and epochs: a thread
 * registers its phase region, and a new base epoch opens, only under the lock and while the arena
 * is open; close checks for other threads' phases and marks the arena closed under the lock, after
 * its scope closed. So no chunk is taken after the close, and none is freed under a live scope.
 */
final class SharedArena extends ArenaImpl {
  /** The base epoch: its shared scope and the chunks it bumps through. */
  private static final class BaseEpoch {
    final Arena scope;
    final EpochRecord record;
    final List<Chunk> chunks = new ArrayList<>(); // guarded by the arena's lock
    volatile Chunk current;

    BaseEpoch(Arena scope, EpochRecord record) {
      this.scope = scope;
      this.record = record;
    }
  }

  /**
   * The watchdog looks at the base epoch when an allocation takes a new chunk or crosses a 64 KiB
   * boundary of addresses, so at least every 64 KiB allocated, whatever the chunk sizes.
   */
  private static final int WATCH_SHIFT = 16;

  private final Object lock = new Object();
  private volatile BaseEpoch epoch; // null until the first base allocation after a reset
  /** In debug mode, the call that began the next base epoch (it opens lazily); guarded by the lock. */
  private EpochRecord.Opening nextOpening;

  private final ConcurrentHashMap<Thread, Region> phases = new ConcurrentHashMap<>();
  /** Bytes allocated in the base epoch since the last reset (the phases' count in their levels). */
  private final LongAdder bytes = new LongAdder();

  /** Allocations in the base epoch since the last reset (the phases' count in their levels). */
  private final LongAdder allocations = new LongAdder();

  SharedArena(String name, ArenaImpl parent, Config config, ArenaPool pool) {
    super(name, parent, config, pool);
    this.nextOpening = opening("the arena's creation");
  }

  @Override
  void acquiredBy(Thread thread) {
    synchronized (lock) {
      nextOpening = opening("ArenaPool.acquire()");
    }
  }

  @Override
  public boolean isShared() {
    return true;
  }

  @Override
  void checkAccess() {}

  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    return allocate(byteSize, byteAlignment, config.zeroMemory());
  }

  @Override
  MemorySegment allocateUninitialized(long byteSize, long byteAlignment) {
    return allocate(byteSize, byteAlignment, false);
  }

  private MemorySegment allocate(long byteSize, long byteAlignment, boolean zero) {
    checkOpen();
    checkSizeAndAlignment(byteSize, byteAlignment);
    byteAlignment = Math.max(byteAlignment, MIN_ALIGNMENT);
    if (!phases.isEmpty()) {
      Region region = phases.get(Thread.currentThread());
      if (region != null) {
        return region.allocate(byteSize, byteAlignment, zero);
      }
    }
    checkSize(byteSize);
    charge(byteSize);
    BaseEpoch e;
    long address;
    MemorySegment segment;
    try {
      e = epoch;
      if (e == null) {
        e = openEpoch();
      }
      address = bump(e, byteSize, byteAlignment);
      if (((address ^ (address + byteSize)) >>> WATCH_SHIFT) != 0) {
        watchdog(allocations.sum()); // this allocation crossed a 64 KiB boundary: a look
      }
      // Fails with IllegalStateException if a reset or close raced with this allocation: the
      // segment never becomes usable, so it cannot reach a chunk that was given back.
      segment = MemorySegment.ofAddress(address).reinterpret(byteSize, e.scope, null);
    } catch (RuntimeException | Error x) {
      release(byteSize);
      throw x;
    }
    if (zero) {
      segment.fill((byte) 0);
    }
    bytes.add(byteSize);
    allocations.increment();
    if (e.record != null && e.record.sampleThis()) {
      e.record.allocated(segment, address, byteSize);
    }
    return segment;
  }

  private long bump(BaseEpoch e, long size, long align) {
    for (; ; ) {
      Chunk c = e.current;
      if (c != null) {
        long top = (long) Chunk.TOP.getVolatile(c);
        long start = c.fit(top, size, align);
        if (start >= 0) {
          if (Chunk.TOP.compareAndSet(c, top, start + size)) {
            return c.address + start;
          }
          continue;
        }
      }
      refill(e, c, size, align);
    }
  }

  /** Checks the watchdog, then installs the next chunk unless another thread already did. */
  private void refill(BaseEpoch e, Chunk full, long size, long align) {
    // Outside the lock: a listener the watchdog calls may close the arena, whose close takes the
    // arena's monitor and then this lock.
    watchdog(allocations.sum());
    synchronized (lock) {
      if (epoch != e) {
        throw new IllegalStateException(
            "arena \"" + name + "\" was reset or closed during this allocation");
      }
      if (e.current != full) {
        return;
      }
      Chunk next = memory.take(size, align, full == null ? 0 : full.size);
      e.chunks.add(next);
      e.current = next;
    }
  }

  private BaseEpoch openEpoch() {
    synchronized (lock) {
      checkOpen();
      BaseEpoch e = epoch;
      if (e == null) {
        Arena scope = Arena.ofShared();
        memory.opened(scope);
        EpochRecord record =
            nextOpening != null ? openRecord(scope.scope(), true, 0, nextOpening) : null;
        e = new BaseEpoch(scope, record);
        epoch = e;
      }
      return e;
    }
  }

  @Override
  public Phase phase() {
    Thread me = Thread.currentThread();
    Region region = phases.get(me);
    if (region == null) {
      synchronized (lock) { // ordered against close: no region appears once it committed
        checkOpen();
        region = phases.computeIfAbsent(me, t -> new Region(this, t));
      }
    }
    return region.push(region.depth() + 1, opening("phase()"));
  }

  @Override
  void phaseRegionEnded(Region region) {
    if (region.depth() == 0) {
      phases.remove(region.thread, region);
    }
  }

  @Override
  public MemorySegment.Scope scope() {
    Region region = phases.get(Thread.currentThread());
    if (region != null) {
      return region.current().scope().scope();
    }
    if (closed) {
      return CLOSED_SCOPE;
    }
    BaseEpoch e = epoch;
    return (e != null ? e : openEpoch()).scope.scope();
  }

  @Override
  long bytesNow() {
    long sum = bytes.sum();
    for (Region region : phases.values()) {
      sum += region.bytes();
    }
    return sum;
  }

  @Override
  long allocationsNow() {
    long sum = endedAllocations.get() + allocations.sum();
    for (Region region : phases.values()) {
      sum += region.allocations();
    }
    return sum;
  }

  @Override
  String openPhase() {
    if (phases.isEmpty()) {
      return null;
    }
    return "a phase is open on thread(s) "
        + phases.keySet().stream().map(t -> "\"" + t.getName() + "\"").collect(Collectors.joining(", "));
  }

  @Override
  String otherThreadsPhase() {
    Thread me = Thread.currentThread();
    String others =
        phases.keySet().stream()
            .filter(t -> t != me)
            .map(t -> "\"" + t.getName() + "\"")
            .collect(Collectors.joining(", "));
    return others.isEmpty() ? null : "another thread has a phase open on it: " + others;
  }

  @Override
  void endOwnPhases(String how) {
    Region region = phases.get(Thread.currentThread());
    if (region != null) {
      region.popTo(region.level(0), how);
      phaseRegionEnded(region);
    }
  }

  @Override
  void endBaseEpoch(String how, boolean startNew) {
    synchronized (lock) {
      if (!startNew) {
        String phase = otherThreadsPhase();
        if (phase != null) {
          throw new IllegalStateException("cannot close arena \"" + name + "\": " + phase);
        }
      }
      BaseEpoch e = epoch;
      notePeak(bytesNow());
      if (e != null) {
        // The handshake: no thread is inside an access to the scope afterwards. Refused, it
        // throws here, before anything changed.
        closeScope(e.scope, how, epochName(0, resetCount()));
        if (e.record != null) {
          e.record.ended(how);
        }
        if (!e.chunks.isEmpty()) {
          memory.give(e.chunks.toArray(Chunk[]::new), 0, e.chunks.size());
          resetWork++;
        }
      }
      epoch = null;
      if (startNew) {
        nextOpening = opening(how);
      } else {
        closed = true;
      }
      long released = bytes.sumThenReset(); // no phase is open: all of it is the base epoch's
      release(released);
      endedAllocations.addAndGet(allocations.sumThenReset());
    }
  }

  @Override
  ArenaImpl makeChild(String childName, Config childConfig) {
    return new SharedArena(childName, this, childConfig, null);
  }
}
