package dev.arenaguard.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link Arena} that allocates by bumping a pointer through large native chunks and frees
 * everything at once: on {@link #reset()}, at the end of a {@link #phase()}, or on {@link
 * #close()}.
 *
 * <h2>Epochs and the guarantee</h2>
 *
 * Every segment this arena returns is a slice of one of its chunks, placed in a JDK scope that
 * lives only as long as the slice's <em>epoch</em>: the time from the arena's creation or last
 * reset to its next reset or close (the <em>base epoch</em>), or the time a {@link Phase} is
 * open. Ending an epoch closes its scope before any of its memory is handed out again, so every
 * later access to a segment of that epoch &mdash; read, write, slice, copy, native call &mdash;
 * throws {@link IllegalStateException}, every time, at once; it never reads reused memory. {@link
 * #scope()} is the scope of the epoch in which {@link #allocate(long, long)} allocates now; every
 * FFM API that takes an arena (mapping a file, an upcall stub, a library lookup) binds its result
 * to that epoch.
 *
 * <h2 id="native">When native code holds a segment</h2>
 *
 * The JDK keeps a segment's scope open while a native call that was given the segment runs &mdash;
 * a downcall in progress on any thread, including one further down this thread's stack when the
 * code runs in an upcall &mdash; and refuses to close the scope meanwhile. Ending an epoch is all
 * or nothing: if the JDK refuses to close the epoch's scope, {@link #reset()}, {@link #close()} or
 * {@link Phase#close()} throws {@link IllegalStateException}, naming the arena and the epoch, and
 * leaves that epoch exactly as it was: open, counted in the statistics, its segments valid, its
 * memory neither freed nor reused. Once the native call has returned the same call succeeds, and
 * the old segments throw as usual. No chunk is freed or handed out again while a segment of it can
 * still be reached.
 *
 * <p>A call that ends several epochs ends them one at a time, in a fixed order: descendants before
 * their parent, phases innermost first, then the base epoch. It stops at the first refusal: the
 * epochs it ended before stay ended, as if ended by their own calls; the refused one and all after
 * it are as they were. Ending a single epoch &mdash; a phase with no phase open inside it, a reset
 * of an arena without children, a close of an arena without phases or children &mdash; is therefore
 * all or nothing as a whole. (The JDK cannot tell whether a scope would close without closing it,
 * so a call over several scopes cannot be undone halfway.)
 *
 * <p>What the JDK cannot see, and neither can this arena: native code that keeps a pointer after
 * its call returned (a callback registry, a C library caching a buffer) holds no scope, and reads
 * freed or reused memory once the epoch ended &mdash; with every JDK arena too. Give such code
 * memory of an arena that lives as long as the native side keeps the pointer; the checker reports
 * the hand-over when the library model declares the parameter {@code @OutlivesArena} ({@code
 * ArenaEscape}). Likewise an upcall stub made in an epoch is freed when the epoch ends: native
 * code must not call it afterwards.
 *
 * <h2>Confined and shared</h2>
 *
 * A <em>confined</em> arena ({@link #ofConfined(String)}) is used by one thread, its <em>owner</em>:
 * the thread that created it, or, for an arena taken from an {@link ArenaPool}, the thread that
 * acquired it. Every operation on it from another thread, and every access to its segments from
 * another thread, throws {@link WrongThreadException}. Allocation costs a pointer bump, a zeroing
 * of the bytes, and a slice of the current chunk; reset and phase end cost one confined-scope
 * close (tens of nanoseconds) and free nothing.
 *
 * <p>A <em>shared</em> arena ({@link #ofShared(String)}) may be used by any thread. Allocation
 * outside a phase bumps the pointer with a compare-and-set, lock-free except when a chunk runs
 * out. The base epoch's scope is shared, so {@link #reset()} and {@link #close()} each cost one
 * shared-scope close, a thread handshake of tens of microseconds, and must not race with
 * allocation or use of the arena's segments by other threads (such a segment access fails with
 * {@link IllegalStateException}, as with any shared JDK arena). A {@link #phase()} on a shared
 * arena belongs to the thread that opened it: that thread's allocations inside the phase come from
 * chunks of its own and live in a confined scope, so ending the phase costs tens of nanoseconds,
 * releases nothing that other threads allocated meanwhile, and its segments are confined to that
 * thread.
 *
 * <h2>Statistics, limits, checks</h2>
 *
 * {@link #stats()} and {@link #treeStats()} count bytes by the sizes requested (alignment padding
 * is not counted as allocated; it is part of the reserved chunks). An optional {@linkplain
 * Builder#byteLimit(long) byte limit} and {@linkplain Builder#treeByteLimit(long) tree limit}
 * make allocation throw {@link ArenaLimitExceededException} and leave the arena usable. A
 * {@linkplain WatchdogPolicy retention watchdog} reports an arena that grows without a reset; a
 * leak detector reports a root arena that becomes unreachable without {@link #close()}; {@link
 * ArenaDebug} explains a use after reset in debug mode.
 *
 * <h2>Creation</h2>
 *
 * Creating an arena records its creation site for reports (a short stack walk, one to a few
 * microseconds) and, for a root arena, registers it with the leak detector. Chunks are reserved
 * lazily, at the first allocation. For per-request work, take arenas from an {@link ArenaPool}
 * (created once, reused warm) or open a {@link #phase()} in a long-lived arena.
 *
 * <h2>Thread safety</h2>
 *
 * {@link #name()}, {@link #isShared()}, {@link #isOpen()}, {@link #parent()}, {@link
 * #children()}, {@link #stats()}, {@link #treeStats()} and {@link #dump()} may be called from any
 * thread (statistics of a confined arena read from another thread may be slightly stale). All
 * other operations on a confined arena are for its owner thread only.
 */
public interface BumpArena extends Arena {

  /**
   * Creates a confined arena, owned by the calling thread, with the defaults of {@link
   * #builder(String)}.
   *
   * @param name a name for reports, statistics and dumps
   */
  static BumpArena ofConfined(String name) {
    return builder(name).confined().build();
  }

  /**
   * Creates a shared arena with the defaults of {@link #builder(String)}.
   *
   * @param name a name for reports, statistics and dumps
   */
  static BumpArena ofShared(String name) {
    return builder(name).shared().build();
  }

  /**
   * Returns a builder for an arena with the given name, starting from the defaults (and the
   * system properties listed in the {@linkplain dev.arenaguard.runtime package documentation}).
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /** The name given at creation. */
  String name();

  /** Whether this arena is shared (usable by any thread) rather than confined. */
  boolean isShared();

  /** Whether this arena is open, that is, not yet {@linkplain #close() closed}. */
  boolean isOpen();

  /**
   * Allocates {@code byteSize} bytes aligned to {@code byteAlignment} (and to at least 8 bytes,
   * as the JDK's arenas' segments are in practice) by bumping a pointer through the current chunk
   * (taking a retained or new chunk when it is full). The segment is zeroed
   * (unless {@link Builder#zeroMemory(boolean) zeroMemory(false)}) and belongs to the current
   * epoch: the innermost open phase of the calling thread, else the base epoch.
   *
   * <p>Cost: constant, plus zeroing: on a confined arena a bounds test, a pointer bump, one counter
   * and a slice of the current chunk (bound to the epoch's scope once per chunk and epoch); the
   * retention watchdog's looks (at a new chunk or every 64 KiB), empty allocations, byte limits
   * and debug mode take a slower path. On a shared arena,
   * a compare-and-set and two {@link java.util.concurrent.atomic.LongAdder} updates instead. A new
   * chunk costs one {@code malloc}; no allocation ever calls {@code free}. Thread safety: confined
   * arenas, owner thread only; shared arenas, any thread.
   *
   * @throws IllegalArgumentException if {@code byteSize < 0} or larger than any process can address
   *     (2<sup>56</sup> bytes), or {@code byteAlignment} is not a positive power of two
   * @throws OutOfMemoryError if the OS has no memory for a new chunk ({@code malloc} failed);
   *     nothing is allocated and the arena stays usable
   * @throws IllegalStateException if the arena is closed
   * @throws WrongThreadException if this arena is confined and the caller is not its owner
   * @throws ArenaLimitExceededException if a byte limit of this arena or an ancestor would be
   *     exceeded; nothing is allocated and the arena stays usable
   * @throws ArenaRetentionException if the watchdog policy is {@link WatchdogPolicy#THROW} and
   *     this allocation is the one that crosses a watchdog threshold (only once per arena)
   */
  @Override
  MemorySegment allocate(long byteSize, long byteAlignment);

  /**
   * The scope of the current epoch: the scope that a segment allocated now would have. For FFM
   * APIs that take an {@link Arena}, this binds their result to the current phase or base epoch.
   * On a closed arena, returns a scope that is not {@linkplain MemorySegment.Scope#isAlive()
   * alive}.
   *
   * @throws WrongThreadException if this arena is confined and the caller is not its owner
   */
  @Override
  MemorySegment.Scope scope();

  /**
   * Opens a phase: until it is closed, the calling thread's allocations from this arena belong to
   * the phase, and closing it releases exactly them (PostgreSQL's per-tuple context). Phases nest;
   * closing a phase also closes any phase opened inside it that is still open. Use it with
   * try-with-resources:
   *
   * <pre>{@code
   * try (Phase tuple = arena.phase()) {
   *   MemorySegment row = arena.allocate(rowLayout);
   *   ...
   * } // row's memory is reusable here, and any use of row throws IllegalStateException
   * }</pre>
   *
   * <p>Cost: constant (opening allocates a small object; the scope opens lazily at the first
   * allocation). On a shared arena the phase belongs to the calling thread (see the class
   * documentation).
   *
   * @throws IllegalStateException if the arena is closed
   * @throws WrongThreadException if this arena is confined and the caller is not its owner
   */
  Phase phase();

  /**
   * Frees everything allocated in this arena and resets its subtree (every descendant is reset
   * too, before this arena). Closes the base epoch's scope, so every segment allocated before is
   * invalid; keeps up to {@link Builder#retainOnReset(long)} bytes of chunks for reuse and returns
   * the rest to the OS on a background thread once they stayed unused for {@link
   * Builder#surplusDecay(Duration)} (or at {@link #close()}): never during the reset, never during an
   * allocation. Until then {@link ArenaStats#bytesReserved()} counts them.
   *
   * <p>Cost: independent of the number of allocations: one scope close per arena in the subtree
   * (confined: tens of nanoseconds; shared: a handshake, tens of microseconds) and one call that
   * takes the epoch's chunks back (a reference copy per chunk; chunks grow geometrically, so a
   * million 16-byte allocations fill 9 of them). It calls no {@code free}.
   *
   * @throws IllegalStateException if the arena is closed, or a phase is open on it or on a
   *     descendant (close the phase first: a reset would free memory the enclosing code still
   *     uses); nothing is reset then. Also if a native call holds a segment of an epoch to end
   *     (see <a href="#native">the class documentation</a>): that arena, and those not reset yet,
   *     are as they were
   * @throws WrongThreadException if this arena is confined and the caller is not its owner
   */
  void reset();

  /**
   * Creates a child arena of the same kind (confined with the same owner, or shared), inheriting
   * this arena's configuration except its byte limits. Resetting or closing this arena resets or
   * closes the child; the child's allocations count against this arena's {@linkplain
   * Builder#treeByteLimit(long) tree limit} and appear in its {@link #treeStats()}. For a child
   * with its own options, use {@code builder(name).parent(this)}.
   *
   * @throws IllegalStateException if the arena is closed
   * @throws WrongThreadException if this arena is confined and the caller is not its owner
   */
  BumpArena newChild(String name);

  /** The parent of a child arena, or empty for a root arena. */
  Optional<BumpArena> parent();

  /**
   * The pool this arena belongs to: for an arena acquired from an {@link ArenaPool} (the lease, or
   * the pooled arena itself as {@link ArenaListener}s see it), that pool; else empty. Children of a
   * pooled arena belong to their parent, not to the pool.
   */
  default Optional<ArenaPool> pool() {
    return Optional.empty();
  }

  /** A snapshot of the open children of this arena, in creation order. */
  List<BumpArena> children();

  /**
   * Statistics of this arena alone (not its children). Cost: small and independent of the number
   * of allocations (the open epochs' counters are summed).
   */
  ArenaStats stats();

  /** Statistics of this arena and all its descendants, summed. Cost: linear in the subtree. */
  ArenaStats treeStats();

  /**
   * A human-readable dump of this arena's subtree, one line per arena with its statistics and a
   * grand total, in the spirit of PostgreSQL's {@code MemoryContextStats}.
   */
  String dump();

  /**
   * Closes this arena and its subtree: closes the descendants, ends the calling thread's open
   * phases, closes every epoch scope (every segment becomes invalid), and returns all chunks to
   * the OS. Closing a closed arena has no effect. For an arena acquired from an {@link ArenaPool},
   * {@code close()} resets it and returns it to the pool instead.
   *
   * <p>Cost: one scope close per epoch still open, one {@code free} per chunk.
   *
   * @throws IllegalStateException if this arena is shared and another thread has a phase open on
   *     it or on a descendant; nothing is closed then. Also if a native call holds a segment of an
   *     epoch to end (see <a href="#native">the class documentation</a>): the arena stays open,
   *     with that epoch and those not ended yet as they were
   * @throws WrongThreadException if this arena is confined and the caller is not its owner
   */
  @Override
  void close();

  /**
   * Options for a {@link BumpArena}. A builder starts from the defaults, which system properties
   * can change (see the {@linkplain dev.arenaguard.runtime package documentation}); it is not
   * thread-safe, and may build several arenas.
   */
  final class Builder {
    /** Default {@link #chunkSize(long)}: 64 KiB. */
    public static final long DEFAULT_CHUNK_SIZE = 64 * 1024;

    /** Default {@link #maxChunkSize(long)}: 4 MiB. */
    public static final long DEFAULT_MAX_CHUNK_SIZE = 4 * 1024 * 1024;

    /** Default {@link #retainOnReset(long)}: 256 KiB, the first two default chunks and more. */
    public static final long DEFAULT_RETAIN_ON_RESET = 256 * 1024;

    /**
     * Default {@link #surplusDecay(Duration)}: one second, long enough for a burst that comes back
     * within it to find its chunks, short enough that a burst's memory does not linger.
     */
    public static final Duration DEFAULT_SURPLUS_DECAY = Duration.ofSeconds(1);

    private final String name;
    private Boolean shared;
    private long chunkSize = DEFAULT_CHUNK_SIZE;
    private long maxChunkSize = DEFAULT_MAX_CHUNK_SIZE;
    private long retainOnReset = DEFAULT_RETAIN_ON_RESET;
    private Duration surplusDecay = DEFAULT_SURPLUS_DECAY;
    private long byteLimit = Long.MAX_VALUE;
    private long treeByteLimit = Long.MAX_VALUE;
    private boolean debug;
    private int debugSampleRate;
    private WatchdogPolicy watchdog;
    private long watchdogMaxAllocations;
    private Duration watchdogMaxAge;
    private boolean leakDetection;
    private boolean zeroMemory = true;
    private BumpArena parent;

    Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
      Config.Defaults defaults = Config.defaults();
      this.debug = defaults.debug();
      this.debugSampleRate = defaults.sampleRate();
      this.watchdog = defaults.watchdog();
      this.watchdogMaxAllocations = defaults.watchdogMaxAllocations();
      this.watchdogMaxAge = defaults.watchdogMaxAge();
      this.leakDetection = defaults.leakDetection();
    }

    /** A confined arena, owned by the thread that builds it (the default). */
    public Builder confined() {
      this.shared = false;
      return this;
    }

    /** A shared arena, usable from any thread. */
    public Builder shared() {
      this.shared = true;
      return this;
    }

    /**
     * The size of the first native chunk the arena reserves from the OS, at least 64 bytes
     * (default {@value #DEFAULT_CHUNK_SIZE}). Each further chunk is twice the size of the one
     * before it, up to {@link #maxChunkSize(long)}, so the number of chunks grows with the
     * logarithm of the memory in use (a million 16-byte allocations fill 9 chunks of the default
     * sizes); a reset starts over with the chunks it kept. An allocation larger than the next
     * chunk gets a chunk of its own size.
     */
    public Builder chunkSize(long bytes) {
      if (bytes < 64 || bytes > ArenaImpl.MAX_ALLOCATION) {
        throw new IllegalArgumentException(
            "chunk size must be from 64 bytes to 2^56 (what a process can address): " + bytes);
      }
      this.chunkSize = bytes;
      return this;
    }

    /**
     * The size at which chunks stop growing (default {@value #DEFAULT_MAX_CHUNK_SIZE}; if smaller
     * than {@link #chunkSize(long)}, every chunk has the chunk size). It bounds the memory reserved
     * but not yet used: at most one chunk, less than this much plus the chunk size, lies unused
     * at the end of an epoch.
     */
    public Builder maxChunkSize(long bytes) {
      if (bytes < 64 || bytes > ArenaImpl.MAX_ALLOCATION) {
        throw new IllegalArgumentException(
            "max chunk size must be from 64 bytes to 2^56 (what a process can address): " + bytes);
      }
      this.maxChunkSize = bytes;
      return this;
    }

    /**
     * The retained-capacity policy: how many bytes of free chunks the arena keeps for reuse when a
     * reset or phase end frees them (default {@value #DEFAULT_RETAIN_ON_RESET}); the next epoch
     * takes them back in the order the last one took them. Chunks beyond it (the surplus) go back
     * to the OS on a background thread once they have stayed unused for the {@linkplain
     * #surplusDecay(Duration) decay time}, or at close: never during an allocation, a reset or a
     * phase end. {@code 0} keeps nothing beyond the decay time; {@code Long.MAX_VALUE} keeps all.
     */
    public Builder retainOnReset(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("retained capacity must be >= 0: " + bytes);
      }
      this.retainOnReset = bytes;
      return this;
    }

    /**
     * How long chunks beyond the {@linkplain #retainOnReset(long) retained capacity} stay before a
     * background thread returns them to the OS (default one second), as jemalloc's background
     * thread decays unused pages: a burst that comes back within this time finds its chunks
     * reserved, and the {@code free} calls, which cost in proportion to the memory returned, land
     * neither on an allocation nor on the reset or phase end that left the chunks unused. Until
     * then {@link ArenaStats#bytesReserved()} counts them. {@link Duration#ZERO} returns them as
     * soon as the background thread gets to it.
     */
    public Builder surplusDecay(Duration decay) {
      if (Objects.requireNonNull(decay, "decay").isNegative()) {
        throw new IllegalArgumentException("decay must be >= 0: " + decay);
      }
      this.surplusDecay = decay;
      return this;
    }

    /** A limit on the bytes allocated (and not yet released) in this arena itself. */
    public Builder byteLimit(long bytes) {
      this.byteLimit = checkLimit(bytes);
      return this;
    }

    /**
     * A limit on the bytes allocated in this arena and all its descendants together: a child's
     * allocation counts against the tree limits of all its ancestors.
     */
    public Builder treeByteLimit(long bytes) {
      this.treeByteLimit = checkLimit(bytes);
      return this;
    }

    /**
     * Debug mode (default: system property {@code arenaguard.debug}, else off): records, for each
     * epoch, its arena and the calls that opened and ended it, and, {@linkplain
     * #debugSampleRate(int) sampled}, the stacks of those calls and of allocations, so that {@link
     * ArenaDebug#explain(MemorySegment)} can name them. Costs a small record per epoch and a stack
     * trace per sample; when off, nothing on the allocation path.
     */
    public Builder debug(boolean enabled) {
      this.debug = enabled;
      return this;
    }

    /**
     * In debug mode, record the stacks of one epoch in {@code rate} (where it opened and where it
     * ended) and of one allocation in {@code rate}, chosen at random (default: {@code
     * arenaguard.debug.sampleRate}, else 256, which keeps debug mode within about 1.5 times normal
     * speed; 1 records every one, for tests). Every epoch records which arena it belongs to and
     * the call that opened and ended it, sampled or not.
     */
    public Builder debugSampleRate(int rate) {
      if (rate < 1) {
        throw new IllegalArgumentException("sample rate must be >= 1: " + rate);
      }
      this.debugSampleRate = rate;
      return this;
    }

    /** What the retention watchdog does when it fires (default: {@code arenaguard.watchdog}). */
    public Builder watchdog(WatchdogPolicy policy) {
      this.watchdog = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The watchdog fires when this many allocations were made outside any phase without a reset
     * (default: {@code arenaguard.watchdog.maxAllocations}, else 1,000,000): on a confined arena
     * at the next allocation after that many; on a shared arena at its next look (see {@link
     * #watchdogMaxAge(Duration)}), within 64 KiB of allocation after it.
     */
    public Builder watchdogMaxAllocations(long allocations) {
      if (allocations < 1) {
        throw new IllegalArgumentException("max allocations must be >= 1: " + allocations);
      }
      this.watchdogMaxAllocations = allocations;
      return this;
    }

    /**
     * The watchdog fires when the arena still allocates outside any phase this long after its
     * first such allocation since its creation or last reset (default: {@code
     * arenaguard.watchdog.maxAge}, else 10 minutes). Checked when such an allocation takes a new
     * chunk, and at least every 64 KiB allocated (the clock is read only then); an arena idle in a
     * pool is not growing.
     */
    public Builder watchdogMaxAge(Duration age) {
      if (Objects.requireNonNull(age, "age").isNegative() || age.isZero()) {
        throw new IllegalArgumentException("max age must be positive: " + age);
      }
      this.watchdogMaxAge = age;
      return this;
    }

    /**
     * Report this arena if it becomes unreachable without being closed (default: {@code
     * arenaguard.leakDetection}, else on). Applies to root arenas; children are closed by their
     * parent. Costs one {@link java.lang.ref.Cleaner} registration per root arena.
     */
    public Builder leakDetection(boolean enabled) {
      this.leakDetection = enabled;
      return this;
    }

    /**
     * Whether allocated segments are zeroed (default {@code true}, as for the JDK's arenas).
     * Without zeroing a segment may show bytes of an earlier epoch's segment at the same address.
     */
    public Builder zeroMemory(boolean enabled) {
      this.zeroMemory = enabled;
      return this;
    }

    /**
     * Build a child of {@code parent} (of the parent's kind; this builder's other options apply
     * as set, not inherited).
     */
    public Builder parent(BumpArena parent) {
      this.parent = Objects.requireNonNull(parent, "parent");
      return this;
    }

    /**
     * Creates the arena. A confined arena is owned by the calling thread.
     *
     * @throws IllegalArgumentException if a parent was given whose kind (confined or shared)
     *     differs from the one requested, or that is not a {@code BumpArena} of this library
     * @throws IllegalStateException if the parent is closed
     */
    public BumpArena build() {
      return build(name);
    }

    BumpArena build(String arenaName) {
      if (parent != null) {
        ArenaImpl p = ArenaImpl.unwrap(parent);
        if (shared != null && shared != p.isShared()) {
          throw new IllegalArgumentException(
              "a child of " + (p.isShared() ? "shared" : "confined") + " arena \"" + p.name()
                  + "\" has its kind; " + (shared ? "shared()" : "confined()") + " contradicts it");
        }
        return p.newChild(arenaName, config(p.isShared()));
      }
      return ArenaImpl.newRoot(arenaName, config(shared != null && shared), null);
    }

    /** Whether {@link #parent(BumpArena)} was set (a pool's template may not have one). */
    boolean hasParent() {
      return parent != null;
    }

    String name() {
      return name;
    }

    boolean isShared() {
      return shared != null && shared;
    }

    Config config(boolean isShared) {
      return new Config(
          isShared,
          chunkSize,
          maxChunkSize,
          retainOnReset,
          surplusDecay.toNanos(),
          byteLimit,
          treeByteLimit,
          debug,
          debugSampleRate,
          watchdog,
          watchdogMaxAllocations,
          watchdogMaxAge.toNanos(),
          leakDetection,
          zeroMemory);
    }

    private static long checkLimit(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("byte limit must be >= 0: " + bytes);
      }
      return bytes;
    }
  }
}
