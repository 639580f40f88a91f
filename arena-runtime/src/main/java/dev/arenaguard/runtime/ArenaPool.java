package dev.arenaguard.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of arenas for per-request work: each request takes an arena, allocates, and gives it
 * back; giving back resets it, so no request sees another's memory and nothing grows across
 * requests. The correct pattern (the checker recognises it):
 *
 * <pre>{@code
 * static final ArenaPool REQUESTS = ArenaPool.ofConfined("request");
 *
 * void handle(Request r) {
 *   try (BumpArena arena = REQUESTS.acquire()) {
 *     MemorySegment buf = arena.allocate(r.size());
 *     ...
 *   } // reset and returned: every segment of this request is invalid from here
 * }
 * }</pre>
 *
 * <p>{@link #acquire()} returns a lease: its {@link BumpArena#close()} ends the caller's phases,
 * closes the arena's children, resets it (keeping its retained chunks warm) and returns it to the
 * pool, which keeps at most {@link #maxIdle()} idle arenas and closes the rest. A lease is
 * single-use: after close every use of it throws {@link IllegalStateException}. A pooled confined
 * arena is owned by the thread that acquired it, so requests may run on any thread of an
 * executor; it must be closed by that thread. A lease dropped without close is reported by the
 * leak detector (it is not in the pool while leased).
 *
 * <p>Thread-safe: any thread may acquire; acquiring and releasing cost a lock-free deque
 * operation plus the reset (one scope close).
 */
public final class ArenaPool implements AutoCloseable {
  /** The default {@link #maxIdle()}. */
  public static final int DEFAULT_MAX_IDLE = 16;

  private final String name;
  private final Config config;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<ArenaImpl> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final AtomicLong created = new AtomicLong();
  private final Set<ArenaImpl> arenas = Collections.newSetFromMap(new WeakHashMap<>());
  private volatile boolean closed;

  private ArenaPool(String name, Config config, int maxIdle) {
    this.name = name;
    this.config = config;
    this.maxIdle = maxIdle;
  }

  /** A pool of confined arenas with default options, keeping up to 16 idle. */
  public static ArenaPool ofConfined(String name) {
    return of(BumpArena.builder(name).confined(), DEFAULT_MAX_IDLE);
  }

  /** A pool of shared arenas with default options, keeping up to 16 idle. */
  public static ArenaPool ofShared(String name) {
    return of(BumpArena.builder(name).shared(), DEFAULT_MAX_IDLE);
  }

  /**
   * A pool whose arenas are built with {@code template}'s options (read now; later changes to the
   * builder do not affect the pool) and named after it: {@code name#1}, {@code name#2}, ...
   *
   * @throws IllegalArgumentException if the template has a parent, or {@code maxIdle < 0}
   */
  public static ArenaPool of(BumpArena.Builder template, int maxIdle) {
    Objects.requireNonNull(template, "template");
    if (template.hasParent()) {
      throw new IllegalArgumentException("pooled arenas are roots: the template has a parent");
    }
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must be >= 0: " + maxIdle);
    }
    return new ArenaPool(template.name(), template.config(template.isShared()), maxIdle);
  }

  /** The pool's name, the prefix of its arenas' names. */
  public String name() {
    return name;
  }

  /** The most idle arenas the pool keeps. */
  public int maxIdle() {
    return maxIdle;
  }

  /** The arenas currently idle in the pool. */
  public int idleCount() {
    return idleCount.get();
  }

  /**
   * Takes an idle arena, or creates one, for the calling thread. The arena is reset, has no
   * children and no open phase; a confined one is owned by the calling thread.
   *
   * @throws IllegalStateException if the pool is closed
   */
  public BumpArena acquire() {
    if (closed) {
      throw new IllegalStateException("arena pool \"" + name + "\" is closed");
    }
    ArenaImpl core = idle.pollFirst();
    if (core != null) {
      idleCount.decrementAndGet();
      core.acquiredBy(Thread.currentThread());
    } else {
      core = ArenaImpl.newRoot(name + "#" + created.incrementAndGet(), config, this);
      synchronized (arenas) {
        arenas.add(core);
      }
    }
    PooledArena lease = new PooledArena(this, core);
    if (ArenaRegistry.hasListeners()) {
      ArenaRegistry.fire(l -> l.arenaAcquired(lease));
    }
    return lease;
  }

  void release(ArenaImpl core) {
    if (!core.isOpen()) {
      return; // closed directly (through a phase's or child's reference to it): not pooled again
    }
    core.recycle(); // refused (a native call holds its memory): throws, the lease stays valid
    boolean keep = false;
    if (!closed) {
      if (idleCount.incrementAndGet() <= maxIdle) {
        keep = true;
      } else {
        idleCount.decrementAndGet();
      }
    }
    if (!keep) {
      core.close();
      return;
    }
    idle.push(core);
    if (closed && idle.remove(core)) { // closed meanwhile: close() may have missed it
      idleCount.decrementAndGet();
      core.close();
    }
  }

  /** The statistics of all open arenas of this pool, idle or leased, summed. */
  public ArenaStats stats() {
    ArenaStats total = new ArenaStats(name, 0, 0, 0, 0, 0, 0, 0);
    for (ArenaImpl arena : snapshot()) {
      total = total.plus(arena.treeStats());
    }
    return total;
  }

  private List<ArenaImpl> snapshot() {
    synchronized (arenas) {
      List<ArenaImpl> open = new ArrayList<>();
      for (ArenaImpl a : arenas) {
        if (a.isOpen()) {
          open.add(a);
        }
      }
      return open;
    }
  }

  /**
   * Closes the idle arenas and makes every arena given back later close instead of returning.
   * Leased arenas stay usable until their lease is closed.
   */
  @Override
  public void close() {
    closed = true;
    ArenaImpl core;
    while ((core = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      core.acquiredBy(Thread.currentThread()); // idle: no scope open, safe to take over
      core.close();
    }
  }

  @Override
  public String toString() {
    return "ArenaPool[" + name + ", idle=" + idleCount() + "/" + maxIdle + "]";
  }
}
