package dev.arenaguard.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arenaguard.junit.ArenaGuarded;
import dev.arenaguard.runtime.ArenaLimitExceededException;
import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.WatchdogPolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The binder, read back through a {@link SimpleMeterRegistry}. */
@ArenaGuarded
class ArenaMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<ArenaMetrics> binders = new ArrayList<>();

  private ArenaMetrics bind(MeterRegistry r) {
    ArenaMetrics metrics = new ArenaMetrics(Tags.of("app", "test"));
    metrics.bindTo(r);
    binders.add(metrics);
    return metrics;
  }

  @BeforeEach
  void clear() {
    binders.clear();
  }

  @AfterEach
  void unbind() {
    binders.forEach(ArenaMetrics::close);
  }

  private double gauge(String name, String arena) {
    Gauge g = registry.find(name).tags("arena", arena, "app", "test").gauge();
    assertNotNull(g, name + "{arena=" + arena + "} is registered");
    return g.value();
  }

  private double counter(String name, String arena) {
    FunctionCounter c = registry.find(name).tags("arena", arena, "app", "test").functionCounter();
    assertNotNull(c, name + "{arena=" + arena + "} is registered");
    return c.count();
  }

  @Test
  void arenasOpenBeforeBindingArePublished() {
    try (BumpArena index = BumpArena.ofConfined("mm-index")) {
      index.allocate(100);
      index.allocate(28);
      bind(registry);
      assertEquals(128, gauge("arena.memory.allocated", "mm-index"));
      assertEquals(65_536, gauge("arena.memory.reserved", "mm-index"));
      assertEquals(128, gauge("arena.memory.peak", "mm-index"));
      assertEquals(512, gauge("arena.memory.reserved.allocated.ratio", "mm-index"));
      assertEquals(2, counter("arena.allocations", "mm-index"));
      assertEquals(0, counter("arena.resets", "mm-index"));
      assertEquals(1, gauge("arena.count", "mm-index"));
      assertEquals("bytes", registry.find("arena.memory.allocated").tag("arena", "mm-index").gauge().getId().getBaseUnit());

      index.reset();
      index.allocate(8);
      assertEquals(8, gauge("arena.memory.allocated", "mm-index"), "gauges are read live");
      assertEquals(1, counter("arena.resets", "mm-index"));
    }
  }

  @Test
  void arenasCreatedAfterBindingAppearAndClosedOnesStayCounted() {
    bind(registry);
    assertNull(registry.find("arena.memory.allocated").tag("arena", "mm-late").gauge());
    try (BumpArena late = BumpArena.ofConfined("mm-late")) {
      BumpArena child = late.newChild("parse");
      child.allocate(30);
      late.allocate(10);
      assertEquals(10, gauge("arena.memory.allocated", "mm-late"), "a parent's gauges are its own");
      assertEquals(30, gauge("arena.memory.allocated", "mm-late/parse"), "a child is named by its path");
      late.reset();
    }
    assertEquals(0, gauge("arena.memory.allocated", "mm-late"), "closed: nothing allocated");
    assertEquals(0, gauge("arena.count", "mm-late"));
    assertTrue(Double.isNaN(gauge("arena.memory.reserved.allocated.ratio", "mm-late")));
    assertEquals(1, counter("arena.allocations", "mm-late"), "a closed arena's allocations stay counted");
    assertEquals(1, counter("arena.resets", "mm-late"));
    assertEquals(1, counter("arena.resets", "mm-late/parse"), "the child was reset with its parent");

    try (BumpArena again = BumpArena.ofConfined("mm-late")) {
      again.allocate(4);
      assertEquals(4, gauge("arena.memory.allocated", "mm-late"));
      assertEquals(2, counter("arena.allocations", "mm-late"), "counters never go down");
    }
  }

  @Test
  void arenasWithTheSameNameAreSummedAndPoolsGoByTheirName() throws Exception {
    bind(registry);
    try (ArenaPool pool = ArenaPool.ofShared("mm-request");
        BumpArena a = BumpArena.ofConfined("mm-scratch");
        BumpArena b = BumpArena.ofShared("mm-scratch")) {
      a.allocate(10);
      b.allocate(20);
      assertEquals(30, gauge("arena.memory.allocated", "mm-scratch"));
      assertEquals(20, gauge("arena.memory.peak", "mm-scratch"), "the highest peak of any one");
      assertEquals(2, gauge("arena.count", "mm-scratch"));

      BumpArena first = pool.acquire();
      BumpArena second = pool.acquire();
      first.allocate(100);
      second.allocate(50);
      assertEquals(150, gauge("arena.memory.allocated", "mm-request"), "request#1 and request#2 are one series");
      assertEquals(2, gauge("arena.count", "mm-request"));
      first.close();
      second.close();
      assertEquals(0, gauge("arena.memory.allocated", "mm-request"), "returned leases are reset");
      assertEquals(2, gauge("arena.count", "mm-request"), "idle in the pool, still open");
      assertEquals(2, counter("arena.allocations", "mm-request"));
      assertTrue(registry.find("arena.memory.allocated").tag("arena", "mm-request#1").gauge() == null);
    }
  }

  @Test
  void warningsAndRefusalsAreCounted() {
    bind(registry);
    try (BumpArena limited = BumpArena.builder("mm-limited").byteLimit(10).build();
        BumpArena cache =
            BumpArena.builder("mm-cache").watchdog(WatchdogPolicy.OFF).build()) {
      assertThrows(ArenaLimitExceededException.class, () -> limited.allocate(11));
      assertThrows(ArenaLimitExceededException.class, () -> limited.allocate(12));
      assertEquals(2, registry.find("arena.limit.exceeded").tag("arena", "mm-limited").counter().count());
      cache.allocate(1);
      assertNull(registry.find("arena.retention.warnings").counter(), "no warning, no counter");
    }
  }

  @Test
  void severalRegistriesAndClosingTheBinder() {
    MeterRegistry other = new SimpleMeterRegistry();
    try (BumpArena arena = BumpArena.ofConfined("mm-two")) {
      arena.allocate(16);
      ArenaMetrics metrics = bind(registry);
      metrics.bindTo(other);
      assertEquals(16, other.find("arena.memory.allocated").tag("arena", "mm-two").gauge().value());
      try (BumpArena later = BumpArena.ofConfined("mm-two-later")) {
        assertNotNull(other.find("arena.count").tag("arena", "mm-two-later").gauge(), "new names reach every registry");
      }
      metrics.close();
      assertTrue(registry.find("arena.memory.allocated").tag("arena", "mm-two").meters().isEmpty());
      assertTrue(other.getMeters().isEmpty(), "close() removes every meter it registered");
      try (BumpArena unheard = BumpArena.ofConfined("mm-unheard")) {
        assertNull(registry.find("arena.count").tag("arena", "mm-unheard").gauge(), "and stops listening");
      }
    }
  }
}
