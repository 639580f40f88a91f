package dev.arenaguard.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.WatchdogPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The retention warning counter. Not under {@code @ArenaGuarded}, unlike {@link ArenaMetricsTest}:
 * the extension rightly fails a test whose arena trips the retention watchdog, which this test does
 * on purpose.
 */
class ArenaMetricsWatchdogTest {

  @Test
  void retentionWarningsAreCountedWhateverThePolicy() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (ArenaMetrics metrics = new ArenaMetrics()) {
      metrics.bindTo(registry);
      for (WatchdogPolicy policy : new WatchdogPolicy[] {WatchdogPolicy.JFR, WatchdogPolicy.LOG}) {
        try (BumpArena cache =
            BumpArena.builder("mm-grower").watchdog(policy).watchdogMaxAllocations(5).build()) {
          for (int i = 0; i < 10; i++) {
            cache.allocate(8);
          }
        }
      }
      assertEquals(2, registry.find("arena.retention.warnings").tag("arena", "mm-grower").counter().count());
    }
  }
}
