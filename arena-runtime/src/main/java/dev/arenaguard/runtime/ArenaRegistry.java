package dev.arenaguard.runtime;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live root arenas of this JVM and the {@link ArenaListener}s that watch all arenas. The
 * registry holds arenas weakly: it never keeps an arena alive, so the leak detector still finds
 * the ones dropped without {@code close()}.
 *
 * <p>All methods are thread-safe.
 */
public final class ArenaRegistry {
  private ArenaRegistry() {}

  static final System.Logger LOGGER = System.getLogger("dev.arenaguard.runtime");
  static final Cleaner CLEANER = Cleaner.create();

  private static final AtomicLong IDS = new AtomicLong();
  private static final Map<Long, WeakReference<ArenaImpl>> ROOTS = new ConcurrentHashMap<>();
  private static volatile ArenaListener[] listeners = new ArenaListener[0];

  static {
    ArenaMXBeans.registerIfAsked(); // opt-in; this class loads with the first arena
  }

  /** A listener registration; {@link #close()} removes the listener. */
  public interface Registration extends AutoCloseable {
    /** Removes the listener. Removing it twice has no effect. */
    @Override
    void close();
  }

  /**
   * A snapshot of the open root arenas (those without a parent), in creation order. Their
   * subtrees are reachable through {@link BumpArena#children()}.
   */
  public static List<BumpArena> roots() {
    List<ArenaImpl> live = new ArrayList<>();
    for (WeakReference<ArenaImpl> ref : ROOTS.values()) {
      ArenaImpl arena = ref.get();
      if (arena != null && arena.isOpen()) {
        live.add(arena);
      }
    }
    live.sort((a, b) -> Long.compare(a.id, b.id));
    return List.copyOf(live);
  }

  /** Adds a listener for the events of every arena. */
  public static Registration addListener(ArenaListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (ArenaRegistry.class) {
      ArenaListener[] now = Arrays.copyOf(listeners, listeners.length + 1);
      now[now.length - 1] = listener;
      listeners = now;
    }
    return () -> {
      synchronized (ArenaRegistry.class) {
        listeners =
            Arrays.stream(listeners).filter(l -> l != listener).toArray(ArenaListener[]::new);
      }
    };
  }

  static long nextId() {
    return IDS.incrementAndGet();
  }

  static void addRoot(ArenaImpl arena) {
    ROOTS.put(arena.id, new WeakReference<>(arena));
  }

  static void removeRoot(long id) {
    ROOTS.remove(id);
  }

  static boolean hasListeners() {
    return listeners.length > 0;
  }

  /** Tells every listener; a listener that throws is logged and skipped. */
  static void fire(Consumer<ArenaListener> event) {
    for (ArenaListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOGGER.log(System.Logger.Level.ERROR, "arena-guard: an ArenaListener threw", e);
      }
    }
  }
}
