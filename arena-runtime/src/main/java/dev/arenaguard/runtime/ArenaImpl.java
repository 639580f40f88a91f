package dev.arenaguard.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What confined and shared arenas have in common: the tree, limits, statistics, the watchdog,
 * reset and close, leak detection and events. The subclasses own allocation and epochs.
 */
abstract sealed class ArenaImpl extends FillingAllocator permits ConfinedArena, SharedArena {
  /** What {@code scope()} returns once the arena is closed: a scope that is not alive. */
  static final MemorySegment.Scope CLOSED_SCOPE;

  static {
    Arena closed = Arena.ofConfined();
    closed.close();
    CLOSED_SCOPE = closed.scope();
  }

  /** A byte limit of one arena, shared by the descendants it applies to. */
  static final class Limit {
    final String arenaName;
    final boolean tree;
    final long max;
    final AtomicLong used = new AtomicLong();

    Limit(String arenaName, boolean tree, long max) {
      this.arenaName = arenaName;
      this.tree = tree;
      this.max = max;
    }
  }

  final long id = ArenaRegistry.nextId();
  final long createdNanos = System.nanoTime();
  final String name;
  final ArenaImpl parent;
  final Config config;
  final ArenaMemory memory;
  final Site createdAt;
  /** The pool this arena belongs to, or null; set before the creation event. */
  final ArenaPool pool;
  /** The limits this arena's allocations count against: its own, its and its ancestors' tree. */
  private final Limit[] limits;
  /** The tree limits its children's allocations count against. */
  private final Limit[] treeLimits;

  private final List<ArenaImpl> children = new ArrayList<>(); // guarded by itself
  volatile boolean closed;
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();
  /** Allocations of the epochs that ended (the open ones count their own). */
  final AtomicLong endedAllocations = new AtomicLong();
  /** When the base epoch's first allocation since the last reset was made. */
  private volatile long growthStartNanos;
  private final AtomicBoolean watchdogFired = new AtomicBoolean();
  private Cleaner.Cleanable cleanable;

  /**
   * Units of work done by ends of epochs: scopes closed, chunks given back, arenas visited. Kept
   * so tests can show that a reset does not depend on the number of allocations. Not atomic: on
   * a shared arena, exact only when quiescent.
   */
  long resetWork;

  ArenaImpl(String name, ArenaImpl parent, Config config, ArenaPool pool) {
    this.name = name;
    this.parent = parent;
    this.pool = pool;
    this.config = config;
    this.memory =
        new ArenaMemory(
            name,
            config.chunkSize(),
            config.maxChunkSize(),
            config.retainOnReset(),
            config.surplusDecayNanos());
    this.createdAt = Site.capture(config.debug() ? Site.MAX_FRAMES : 1);
    List<Limit> all = new ArrayList<>();
    List<Limit> tree = new ArrayList<>();
    if (config.byteLimit() != Long.MAX_VALUE) {
      all.add(new Limit(name, false, config.byteLimit()));
    }
    if (config.treeByteLimit() != Long.MAX_VALUE) {
      Limit own = new Limit(name, true, config.treeByteLimit());
      all.add(own);
      tree.add(own);
    }
    if (parent != null) {
      all.addAll(List.of(parent.treeLimits));
      tree.addAll(List.of(parent.treeLimits));
    }
    this.limits = all.toArray(Limit[]::new);
    this.treeLimits = tree.toArray(Limit[]::new);
  }

  /**
   * A root arena; {@code pool} is the pool it is made for, or null. (No convenience overloads
   * here or in the constructors: every frame between the user and {@link Site#capture} costs
   * stack-walking time at each creation.)
   */
  static ArenaImpl newRoot(String name, Config config, ArenaPool pool) {
    ArenaImpl arena =
        config.shared()
            ? new SharedArena(name, null, config, pool)
            : new ConfinedArena(name, null, config, Thread.currentThread(), pool);
    ArenaRegistry.addRoot(arena);
    if (config.leakDetection()) {
      arena.cleanable =
          ArenaRegistry.CLEANER.register(
              arena, new LeakAction(arena.id, arena.memory, name, arena.createdAt.top()));
    }
    arena.fireCreated();
    return arena;
  }

  /** The pool this arena belongs to. */
  @Override
  public final Optional<ArenaPool> pool() {
    return Optional.ofNullable(pool);
  }

  /** The arena behind a {@code BumpArena} of this library. */
  static ArenaImpl unwrap(BumpArena arena) {
    if (arena instanceof ArenaImpl impl) {
      return impl;
    }
    if (arena instanceof PooledArena pooled) {
      return pooled.live();
    }
    throw new IllegalArgumentException("not an arena-guard BumpArena: " + arena);
  }

  /** Like {@link #unwrap}, also for a lease already returned to its pool; null if not ours. */
  static ArenaImpl core(BumpArena arena) {
    if (arena instanceof ArenaImpl impl) {
      return impl;
    }
    return arena instanceof PooledArena pooled ? pooled.core() : null;
  }

  /** Run by the Cleaner when a root arena became unreachable; must not refer to the arena. */
  private record LeakAction(long id, ArenaMemory memory, String name, String site)
      implements Runnable {
    @Override
    public void run() {
      ArenaRegistry.removeRoot(id);
      if (memory.isReleased()) {
        return; // closed properly: close() runs this action to deregister it
      }
      long bytes = memory.leakedBytes();
      LeakReport report = new LeakReport(name, site, bytes, memory.leaked());
      ArenaRegistry.LOGGER.log(System.Logger.Level.WARNING, report.message());
      ArenaEvents.leaked(id, report);
      if (ArenaRegistry.hasListeners()) {
        ArenaRegistry.fire(l -> l.leakDetected(report));
      }
    }
  }

  // ---- what the variants provide

  /** Throws {@link WrongThreadException} if the calling thread may not operate the arena. */
  abstract void checkAccess();

  /** Bytes allocated in the open epochs: summed when read, exact when the arena is quiescent. */
  abstract long bytesNow();

  /** Allocations since creation: summed when read, exact when the arena is quiescent. */
  abstract long allocationsNow();

  /** A description of a phase that is open on this arena, or null. */
  abstract String openPhase();

  /** A description of a phase that another thread has open on this arena, or null. */
  abstract String otherThreadsPhase();

  /**
   * Ends the base epoch (the scope closes, the chunks go back), all or nothing, and starts a new
   * one, or, if not {@code startNew}, marks the arena closed.
   */
  abstract void endBaseEpoch(String how, boolean startNew);

  /** A pool hands this (reset, childless) arena to {@code thread}. */
  abstract void acquiredBy(Thread thread);

  /** Ends the calling thread's open phases. */
  abstract void endOwnPhases(String how);

  abstract ArenaImpl makeChild(String name, Config config);

  // ---- allocation

  /**
   * Every segment is aligned to at least 8 bytes, as the JDK's arenas' segments are in practice
   * ({@code malloc} alignment), so code written for {@code Arena.ofConfined()} that reads a long
   * from {@code allocate(n)} keeps working.
   */
  static final long MIN_ALIGNMENT = 8;

  /**
   * The largest allocation that could ever succeed: no 64-bit platform gives a process more than
   * 2<sup>56</sup> bytes of address space (x86-64 with five-level paging; AArch64 has at most
   * 2<sup>52</sup>). A larger request is a mistake, not a lack of memory.
   */
  static final long MAX_ALLOCATION = 1L << 56;

  static void checkSizeAndAlignment(long byteSize, long byteAlignment) {
    if (byteSize < 0 | byteAlignment <= 0 | (byteAlignment & (byteAlignment - 1)) != 0) {
      throw badSizeOrAlignment(byteSize, byteAlignment);
    }
  }

  private static IllegalArgumentException badSizeOrAlignment(long byteSize, long byteAlignment) {
    return byteSize < 0
        ? new IllegalArgumentException("Invalid allocation size : " + byteSize)
        : new IllegalArgumentException("Invalid alignment constraint : " + byteAlignment);
  }

  /** Rejects a size no machine can provide (checked off the fast path, where it cannot fit). */
  final void checkSize(long byteSize) {
    if (byteSize > MAX_ALLOCATION) {
      throw new IllegalArgumentException(
          String.format(
              "arena \"%s\" cannot allocate %,d bytes: more than any process can address (at most"
                  + " %,d); nothing was allocated",
              name, byteSize, MAX_ALLOCATION));
    }
  }

  final void checkOpen() {
    if (closed) {
      throw new IllegalStateException("arena \"" + name + "\" is closed");
    }
  }

  /** Whether allocations count against a byte limit. */
  final boolean limited() {
    return limits.length != 0;
  }

  /** Counts {@code size} bytes against every limit, or throws leaving all of them unchanged. */
  final void charge(long size) {
    if (limits.length == 0) {
      return;
    }
    for (int i = 0; i < limits.length; i++) {
      Limit limit = limits[i];
      long now = limit.used.addAndGet(size);
      if (now > limit.max || now < 0) {
        for (int j = 0; j <= i; j++) {
          limits[j].used.addAndGet(-size);
        }
        ArenaLimitExceededException e =
            new ArenaLimitExceededException(
                name, limit.arenaName, limit.tree, limit.max, size, now - size);
        ArenaEvents.limitExceeded(this, e);
        if (ArenaRegistry.hasListeners()) {
          ArenaRegistry.fire(l -> l.limitExceeded(this, e));
        }
        throw e;
      }
    }
  }

  final void release(long bytes) {
    if (limits.length == 0) {
      return;
    }
    for (Limit limit : limits) {
      limit.used.addAndGet(-bytes);
    }
  }

  /**
   * The watchdog looks at an arena's base epoch when an allocation takes a new chunk or crosses
   * this many bytes since its last look (so at least every 64 KiB allocated, whatever the chunk
   * sizes), and at its first allocation after a reset; between looks an allocation pays nothing.
   */
  static final long WATCH_BYTES = 64 * 1024;

  /** Whether the watchdog already reported this arena (it reports once). */
  final boolean watchdogFired() {
    return watchdogFired.get();
  }

  /**
   * The retention watchdog, checked before an allocation outside any phase: fires once if the
   * arena made {@code allocations} such allocations without a reset, or has been growing for
   * longer than the maximum age. Growth starts at the first such allocation after a reset, so an
   * arena idle in a pool is not growing.
   */
  final void watchdog(long allocations) {
    if (config.watchdog() == WatchdogPolicy.OFF || watchdogFired.get()) {
      return;
    }
    if (allocations == 0) {
      growthStartNanos = System.nanoTime();
      return;
    }
    long age = System.nanoTime() - growthStartNanos;
    String reason;
    if (allocations >= config.watchdogMaxAllocations()) {
      reason = String.format("more than %,d allocations", config.watchdogMaxAllocations());
    } else if (age >= config.watchdogMaxAgeNanos()) {
      reason =
          "still allocating after "
              + Duration.ofNanos(config.watchdogMaxAgeNanos()).toString().substring(2).toLowerCase();
    } else {
      return;
    }
    if (!watchdogFired.compareAndSet(false, true)) {
      return;
    }
    RetentionWarning warning =
        new RetentionWarning(
            name, createdAt.top(), allocations, bytesNow(), Duration.ofNanos(age), reason);
    if (ArenaRegistry.hasListeners()) {
      ArenaRegistry.fire(l -> l.retentionWarning(this, warning));
    }
    ArenaEvents.retention(this, warning); // under every policy: free unless a recording runs
    switch (config.watchdog()) {
      case LOG -> ArenaRegistry.LOGGER.log(System.Logger.Level.WARNING, warning.message());
      case THROW -> throw new ArenaRetentionException(warning);
      case JFR, OFF -> {}
    }
  }

  // ---- epochs

  /** What reports call the epoch at {@code depth}: the base epoch (0) or a phase. */
  static String epochName(int depth, long resets) {
    return depth == 0 ? "the base epoch (after " + resets + " resets)" : "the phase at depth " + depth;
  }

  /** In debug mode, where {@code call} (phase(), reset(), ...) opens an epoch; null otherwise. */
  final EpochRecord.Opening opening(String call) {
    return config.debug() ? EpochRecord.Opening.of(call, config.sampleRate()) : null;
  }

  /**
   * The debug record of an epoch that opens in {@code scope}: the base epoch ({@code depth} 0) or
   * a phase at {@code depth}, opened by {@code opening}.
   */
  final EpochRecord openRecord(
      MemorySegment.Scope scope, boolean sharedScope, int depth, EpochRecord.Opening opening) {
    return EpochRecord.open(
        scope, id, name, sharedScope, createdAt, depth, resetCount(), opening, config.sampleRate());
  }

  /**
   * Closes the scope of an epoch that {@code how} ends. All or nothing: the JDK refuses to close a
   * scope while a native call holds one of its segments, and then this throws, having changed
   * nothing.
   */
  final void closeScope(Arena scope, String how, String epoch) {
    try {
      scope.close();
    } catch (IllegalStateException refused) {
      throw new IllegalStateException(
          "arena \""
              + name
              + "\": "
              + how
              + " refused, nothing of "
              + epoch
              + " was released: a native call still holds one of its segments (a downcall in"
              + " progress, on another thread or on this one below the current upcall, was given"
              + " it). The epoch stays open and its segments valid; retry once the call has"
              + " returned.",
          refused);
    }
    memory.closed(scope);
    resetWork++;
  }

  /** Called by a region for every level it ends, after the scope closed and chunks went back. */
  final void levelEnded(Level level) {
    endedAllocations.addAndGet(level.allocations);
    release(level.bytes);
    if (level.depth > 0) {
      ArenaEvents.phaseEnded(this, level.depth, level.bytes);
      if (ArenaRegistry.hasListeners()) {
        ArenaRegistry.fire(l -> l.phaseEnded(this, level.depth, level.bytes));
      }
    }
  }

  /** Called by {@link Level#close()}. */
  final void endPhase(Level level) {
    Thread owner = level.region.thread;
    if (!level.open) {
      return; // closed already, perhaps with its arena
    }
    if (owner == null) {
      checkAccess();
    } else if (owner != Thread.currentThread()) {
      throw new WrongThreadException(
          "a phase of shared arena \""
              + name
              + "\" belongs to thread \""
              + owner.getName()
              + "\" that opened it; closed from \""
              + Thread.currentThread().getName()
              + "\"");
    }
    level.region.popTo(level, "phase close");
    phaseRegionEnded(level.region);
  }

  /** A shared arena forgets a thread's region once its last phase ended. */
  void phaseRegionEnded(Region region) {}

  final void notePeak(long bytes) {
    peak.accumulateAndGet(bytes, Math::max);
  }

  final long resetCount() {
    return resets.get();
  }

  @Override
  public final void reset() {
    checkAccess();
    checkOpen();
    String phase = findOpenPhase();
    if (phase != null) {
      throw new IllegalStateException(
          "cannot reset arena \""
              + name
              + "\": "
              + phase
              + "; close the phase first (a reset frees memory the enclosing code still uses)");
    }
    resetTree("reset()");
  }

  private String findOpenPhase() {
    return findInSubtree(ArenaImpl::openPhase);
  }

  private String findOtherThreadsPhase() {
    return findInSubtree(ArenaImpl::otherThreadsPhase);
  }

  /** The first non-null description {@code probe} gives for this arena or a descendant. */
  private String findInSubtree(Function<ArenaImpl, String> probe) {
    String found = probe.apply(this);
    if (found != null) {
      return found;
    }
    for (ArenaImpl child : childrenSnapshot()) {
      found = child.findInSubtree(probe);
      if (found != null) {
        return "in its descendant \"" + child.name + "\", " + found;
      }
    }
    return null;
  }

  /**
   * Resets the subtree, descendants first (each all or nothing), then this arena: a refused end
   * throws with that arena, and every arena not reset yet, as it was.
   */
  final void resetTree(String how) {
    for (ArenaImpl child : childrenSnapshot()) {
      child.resetTree(how);
    }
    ArenaEvents.Reset event = ArenaEvents.beginReset();
    long released = bytesNow();
    endBaseEpoch(how, true);
    resetWork++;
    resets.incrementAndGet();
    ArenaEvents.endReset(event, this, released);
    if (ArenaRegistry.hasListeners()) {
      ArenaRegistry.fire(l -> l.arenaReset(this, released));
    }
  }

  /**
   * Makes a pooled arena fresh for its next user: ends the caller's phases, closes the children,
   * resets it. Same thread rules as close.
   */
  final void recycle() {
    checkAccess();
    checkOpen();
    String phase = findOtherThreadsPhase();
    if (phase != null) {
      throw new IllegalStateException(
          "cannot return arena \"" + name + "\" to its pool: " + phase);
    }
    String how = "close() of a pooled arena (reset and returned to its pool)";
    for (ArenaImpl child : childrenSnapshot()) {
      child.closeTree(how);
    }
    endOwnPhases(how);
    resetTree(how);
  }

  @Override
  public final void close() {
    if (closed) {
      return;
    }
    checkAccess();
    String phase = findOtherThreadsPhase();
    if (phase != null) {
      throw new IllegalStateException("cannot close arena \"" + name + "\": " + phase);
    }
    closeTree("close()");
  }

  /**
   * Closes the subtree: the descendants first, then this arena's phases innermost first, then its
   * base epoch, each all or nothing; the arena is closed, and its chunks freed, only once all of
   * them ended. A refused end throws with the refused epoch, and all that was not ended yet, as it
   * was.
   */
  final void closeTree(String how) {
    long released;
    ArenaStats last;
    synchronized (this) { // two threads closing a shared arena: one of them does it
      if (closed) {
        return;
      }
      for (ArenaImpl child : childrenSnapshot()) {
        child.closeTree(how);
      }
      released = bytesNow();
      endOwnPhases(how);
      endBaseEpoch(how, false);
      last = stats();
    }
    memory.releaseAll();
    if (parent != null) {
      parent.removeChild(this);
    } else {
      ArenaRegistry.removeRoot(id);
    }
    if (cleanable != null) {
      cleanable.clean(); // memory is released: the leak action only deregisters
    }
    ArenaEvents.closed(this, released, last);
    if (ArenaRegistry.hasListeners()) {
      ArenaRegistry.fire(l -> l.arenaClosed(this, last));
    }
  }

  // ---- tree

  @Override
  public final BumpArena newChild(String childName) {
    Objects.requireNonNull(childName, "name");
    return newChild(childName, config.forChild());
  }

  final BumpArena newChild(String childName, Config childConfig) {
    checkAccess();
    checkOpen();
    ArenaImpl child = makeChild(childName, childConfig);
    synchronized (children) {
      children.add(child);
    }
    memory.addChild(child.memory);
    child.fireCreated();
    return child;
  }

  private void removeChild(ArenaImpl child) {
    synchronized (children) {
      children.remove(child);
    }
    memory.removeChild(child.memory);
  }

  final List<ArenaImpl> childrenSnapshot() {
    synchronized (children) {
      return List.copyOf(children);
    }
  }

  private void fireCreated() {
    ArenaEvents.created(this);
    if (ArenaRegistry.hasListeners()) {
      ArenaRegistry.fire(l -> l.arenaCreated(this));
    }
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean isOpen() {
    return !closed;
  }

  @Override
  public final Optional<BumpArena> parent() {
    return Optional.ofNullable(parent);
  }

  @Override
  public final List<BumpArena> children() {
    return List.copyOf(childrenSnapshot());
  }

  // ---- statistics

  @Override
  public final ArenaStats stats() {
    long bytes = bytesNow();
    return new ArenaStats(
        name,
        bytes,
        memory.reservedBytes(),
        peak.accumulateAndGet(bytes, Math::max),
        allocationsNow(),
        resets.get(),
        memory.chunks(),
        memory.chunkReservations());
  }

  @Override
  public final ArenaStats treeStats() {
    ArenaStats total = stats();
    for (ArenaImpl child : childrenSnapshot()) {
      total = total.plus(child.treeStats());
    }
    return total;
  }

  @Override
  public final String dump() {
    StringBuilder out = new StringBuilder();
    dump(out, 0);
    ArenaStats t = treeStats();
    out.append(
        String.format(
            "Grand total: %,d bytes in %,d chunks; %,d bytes allocated in %,d allocations (peak"
                + " %,d); %,d resets; reserved/allocated %.2f%n",
            t.bytesReserved(),
            t.chunks(),
            t.bytesAllocated(),
            t.allocationCount(),
            t.peakBytesAllocated(),
            t.resetCount(),
            t.reservedToAllocatedRatio()));
    return out.toString();
  }

  private void dump(StringBuilder out, int indent) {
    ArenaStats s = stats();
    out.append("  ".repeat(indent))
        .append(name)
        .append(String.format(
            " (%s%s): %,d bytes in %,d chunks; %,d bytes allocated in %,d allocations (peak"
                + " %,d); %,d resets%n",
            isShared() ? "shared" : "confined",
            closed ? ", closed" : "",
            s.bytesReserved(),
            s.chunks(),
            s.bytesAllocated(),
            s.allocationCount(),
            s.peakBytesAllocated(),
            s.resetCount()));
    for (ArenaImpl child : childrenSnapshot()) {
      child.dump(out, indent + 1);
    }
  }

  @Override
  public String toString() {
    return (isShared() ? "SharedBumpArena[" : "ConfinedBumpArena[")
        + name
        + (closed ? ", closed]" : "]");
  }
}
