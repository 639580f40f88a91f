package dev.arenaguard.micrometer;

import dev.arenaguard.runtime.ArenaLimitExceededException;
import dev.arenaguard.runtime.ArenaListener;
import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.ArenaRegistry;
import dev.arenaguard.runtime.ArenaStats;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.LeakReport;
import dev.arenaguard.runtime.RetentionWarning;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the statistics of arena-guard's arenas ({@link BumpArena}) as Micrometer meters, tagged
 * by arena name:
 *
 * <table class="striped">
 *   <caption>Meters</caption>
 *   <thead><tr><th>name</th><th>type</th><th>value, over the open arenas with the tag's name</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code arena.memory.allocated}</td><td>gauge, bytes</td>
 *       <td>bytes allocated and not yet released by a reset, phase end or close</td></tr>
 *   <tr><td>{@code arena.memory.reserved}</td><td>gauge, bytes</td>
 *       <td>bytes of native chunks held from the OS, in use or kept for reuse</td></tr>
 *   <tr><td>{@code arena.memory.peak}</td><td>gauge, bytes</td>
 *       <td>the highest peak of allocated bytes of any one of them</td></tr>
 *   <tr><td>{@code arena.memory.reserved.allocated.ratio}</td><td>gauge</td>
 *       <td>reserved per allocated byte (1.0 is perfect; jemalloc's resident/allocated); NaN while
 *       nothing is allocated</td></tr>
 *   <tr><td>{@code arena.allocations}</td><td>function counter</td>
 *       <td>allocations, including those of arenas closed since binding</td></tr>
 *   <tr><td>{@code arena.resets}</td><td>function counter</td>
 *       <td>resets, including those of arenas closed since binding</td></tr>
 *   <tr><td>{@code arena.count}</td><td>gauge</td><td>open arenas (a pool's: leased and idle)</td></tr>
 *   <tr><td>{@code arena.retention.warnings}</td><td>counter</td>
 *       <td>retention watchdog reports (an arena held by a long-lived owner, never reset)</td></tr>
 *   <tr><td>{@code arena.limit.exceeded}</td><td>counter</td><td>allocations refused by a byte limit</td></tr>
 *   <tr><td>{@code arena.leaks}</td><td>counter</td>
 *       <td>root arenas that became unreachable without {@code close()} (tagged by the leaked
 *       arena's own name)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Names.</b> The {@code arena} tag is an arena's name; a child's is its parent's followed by
 * {@code /} and its own ({@code query/parse}); an arena of an {@link ArenaPool} goes by its pool's
 * name ({@code request}, not {@code request#17}). Arenas with the same tag are summed, so per-request
 * arenas and pools make one set of series each. Give arenas stable names: a name made per request
 * makes series per request (Micrometer's {@code MeterFilter.maximumAllowableTags("arena", ...)}
 * caps them).
 *
 * <p><b>Arenas that come and go.</b> The binder listens to {@link ArenaRegistry}: arenas created
 * after binding are counted as they appear, and a name's meters are registered when its first arena
 * is seen. A closed arena stops counting in the gauges; its allocations and resets stay in the
 * counters, which therefore never go down while the binder is bound. A name's meters stay
 * registered (with gauges at zero) after its last arena closed, so a name that comes back keeps its
 * series, until {@link #close()} removes every meter and the listener.
 *
 * <pre>{@code
 * new ArenaMetrics().bindTo(registry);   // or declare it as a bean: Spring Boot binds MeterBinders
 * }</pre>
 *
 * <p>Gauges are computed when the registry reads them (time linear in the number of open arenas
 * with that name); nothing is done per allocation. Thread-safe.
 */
public final class ArenaMetrics implements MeterBinder, AutoCloseable {
  /** The tag that names the arena. */
  public static final String ARENA_TAG = "arena";

  private final Tags tags;
  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  /** Which group each open arena counts in; weak, so that the leak detector still sees leaks. */
  private final Map<BumpArena, Group> byArena = Collections.synchronizedMap(new WeakHashMap<>());

  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final List<Registered> registered = new CopyOnWriteArrayList<>();
  private ArenaRegistry.Registration registration; // guarded by this

  private record Registered(MeterRegistry registry, Meter meter) {}

  /** Meters tagged only by arena name. */
  public ArenaMetrics() {
    this(Tags.empty());
  }

  /** Meters tagged by arena name and {@code tags} (for example the application's name). */
  public ArenaMetrics(Iterable<Tag> tags) {
    this.tags = Tags.of(tags);
  }

  /**
   * Registers the meters of every open arena's name with {@code registry}, and of every name that
   * appears later. May be called for several registries.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    synchronized (this) {
      registries.add(registry);
      if (registration == null) {
        // Listen first, then look: an arena created meanwhile is seen twice, never missed.
        registration = ArenaRegistry.addListener(new Listener());
        for (BumpArena root : ArenaRegistry.roots()) {
          trackTree(root);
        }
      }
    }
    for (Group group : groups.values()) {
      group.registerIn(registry);
    }
  }

  /** Stops listening and removes every meter this binder registered. */
  @Override
  public synchronized void close() {
    if (registration != null) {
      registration.close();
      registration = null;
    }
    for (Registered r : registered) {
      r.registry().remove(r.meter());
    }
    registered.clear();
    registries.clear();
    groups.clear();
    byArena.clear();
  }

  /** The value of the {@code arena} tag for {@code arena}. */
  static String nameOf(BumpArena arena) {
    return arena
        .parent()
        .map(parent -> nameOf(parent) + "/" + arena.name())
        .orElseGet(() -> arena.pool().map(ArenaPool::name).orElse(arena.name()));
  }

  private void trackTree(BumpArena arena) {
    track(arena);
    for (BumpArena child : arena.children()) {
      trackTree(child);
    }
  }

  private void track(BumpArena arena) {
    if (!arena.isOpen()) {
      return;
    }
    Group group = groups.computeIfAbsent(nameOf(arena), Group::new);
    byArena.put(arena, group);
    group.arenas.add(arena);
    for (MeterRegistry registry : registries) {
      group.registerIn(registry);
    }
  }

  private void count(String meter, String description, String arenaName) {
    for (MeterRegistry registry : registries) {
      Counter counter =
          Counter.builder(meter)
              .description(description)
              .tags(tags)
              .tag(ARENA_TAG, arenaName)
              .register(registry);
      counter.increment();
      remember(registry, counter);
    }
  }

  private void remember(MeterRegistry registry, Meter meter) {
    Registered r = new Registered(registry, meter);
    if (!registered.contains(r)) {
      registered.add(r);
    }
  }

  /** The open arenas that share one {@code arena} tag, and what their closed ones counted. */
  private final class Group {
    final String name;
    final Set<BumpArena> arenas = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    final LongAdder closedAllocations = new LongAdder();
    final LongAdder closedResets = new LongAdder();
    private final Set<MeterRegistry> boundTo = Collections.newSetFromMap(new ConcurrentHashMap<>());

    Group(String name) {
      this.name = name;
    }

    List<ArenaStats> stats() {
      List<BumpArena> open;
      synchronized (arenas) {
        open = new ArrayList<>(arenas);
      }
      List<ArenaStats> stats = new ArrayList<>(open.size());
      for (BumpArena arena : open) {
        if (arena.isOpen()) {
          stats.add(arena.stats());
        }
      }
      return stats;
    }

    double sum(ToDoubleFunction<ArenaStats> value) {
      return stats().stream().mapToDouble(value).sum();
    }

    double peak() {
      return stats().stream().mapToLong(ArenaStats::peakBytesAllocated).max().orElse(0);
    }

    double ratio() {
      List<ArenaStats> stats = stats();
      long allocated = stats.stream().mapToLong(ArenaStats::bytesAllocated).sum();
      long reserved = stats.stream().mapToLong(ArenaStats::bytesReserved).sum();
      // NaN rather than ArenaStats' infinity for "reserved, nothing allocated": dashboards scale.
      return allocated == 0 ? Double.NaN : (double) reserved / allocated;
    }

    void registerIn(MeterRegistry registry) {
      if (!boundTo.add(registry)) {
        return;
      }
      Tags t = tags.and(ARENA_TAG, name);
      gauge(registry, "arena.memory.allocated", "Bytes allocated in the arenas and not yet released", BaseUnits.BYTES, t, g -> g.sum(ArenaStats::bytesAllocated));
      gauge(registry, "arena.memory.reserved", "Bytes of native chunks the arenas hold from the OS", BaseUnits.BYTES, t, g -> g.sum(ArenaStats::bytesReserved));
      gauge(registry, "arena.memory.peak", "The highest peak of allocated bytes of any of the arenas", BaseUnits.BYTES, t, Group::peak);
      gauge(registry, "arena.memory.reserved.allocated.ratio", "Reserved bytes per allocated byte", null, t, Group::ratio);
      gauge(registry, "arena.count", "Open arenas", null, t, g -> g.stats().size());
      functionCounter(registry, "arena.allocations", "Allocations made in the arenas", t, g -> g.closedAllocations.sum() + g.sum(ArenaStats::allocationCount));
      functionCounter(registry, "arena.resets", "Resets of the arenas", t, g -> g.closedResets.sum() + g.sum(ArenaStats::resetCount));
    }

    private void gauge(
        MeterRegistry registry, String meter, String description, String unit, Tags t, ToDoubleFunction<Group> value) {
      remember(
          registry,
          Gauge.builder(meter, this, value)
              .description(description)
              .baseUnit(unit)
              .tags(t)
              .strongReference(true)
              .register(registry));
    }

    private void functionCounter(
        MeterRegistry registry, String meter, String description, Tags t, ToDoubleFunction<Group> value) {
      // The binder holds the group strongly, and the runtime's listener list holds the binder.
      remember(
          registry,
          FunctionCounter.builder(meter, this, value).description(description).tags(t).register(registry));
    }
  }

  /** Hears the runtime; must be fast and must not throw. */
  private final class Listener implements ArenaListener {
    @Override
    public void arenaCreated(BumpArena arena) {
      track(arena);
    }

    @Override
    public void arenaClosed(BumpArena arena, ArenaStats finalStats) {
      Group group = byArena.remove(arena);
      if (group != null) {
        group.arenas.remove(arena);
        group.closedAllocations.add(finalStats.allocationCount());
        group.closedResets.add(finalStats.resetCount());
      }
    }

    @Override
    public void retentionWarning(BumpArena arena, RetentionWarning warning) {
      count("arena.retention.warnings", "Retention watchdog reports: arenas that grow without a reset", nameOf(arena));
    }

    @Override
    public void limitExceeded(BumpArena arena, ArenaLimitExceededException exception) {
      count("arena.limit.exceeded", "Allocations refused by a byte limit", nameOf(arena));
    }

    @Override
    public void leakDetected(LeakReport report) {
      count("arena.leaks", "Root arenas that became unreachable without close()", report.arenaName());
    }
  }
}
