package dev.arenaguard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arenaguard.benchmarks.MemoryFootprint.Checkpoint;
import dev.arenaguard.benchmarks.MemoryFootprint.Flat;
import dev.arenaguard.benchmarks.MemoryFootprint.Growth;
import dev.arenaguard.benchmarks.MemoryFootprint.Mode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory program's two parts, on small counts. */
class MemoryFootprintTest {

  @Test
  void perRequestReleaseKeepsReservedMemoryFlat() {
    for (Mode mode : List.of(Mode.PHASE, Mode.POOL, Mode.RESET)) {
      Flat f = MemoryFootprint.flat(mode, 10, 2_000);
      assertEquals(10, f.first().requests());
      assertEquals(2_000, f.last().requests());
      assertTrue(f.first().reservedBytes() >= Request.BYTES, mode + ": " + f);
      assertEquals(f.first().reservedBytes(), f.last().reservedBytes(), mode + ": " + f);
    }
  }

  @Test
  void theAntiPatternGrowsUntilTheWatchdogReportsItOnce() {
    // 100 allocations per request: a threshold of 10,000 is crossed after 100 requests.
    Growth g = MemoryFootprint.antiPattern(300, 50, 10_000);
    List<Checkpoint> c = g.checkpoints();
    assertEquals(6, c.size());
    // It holds every request's memory; chunks double up to 4 MiB, so it grows in steps.
    for (Checkpoint point : c) {
      assertTrue(point.reservedBytes() >= point.requests() * Request.BYTES, c.toString());
    }
    assertTrue(c.getLast().reservedBytes() > c.getFirst().reservedBytes(), c.toString());
    assertNotNull(g.warning(), "the watchdog did not fire");
    assertEquals(1, g.reports());
    // A shared arena checks at its next chunk after the threshold: within a few requests.
    assertTrue(g.firedAtRequest() > 100 && g.firedAtRequest() <= 110, "fired at " + g.firedAtRequest());
    assertTrue(g.warning().message().contains("\"index\""), g.warning().message());
  }

  @Test
  void theReportHasARowPerModeAndTheWatchdogLine() throws Exception {
    Map<Mode, Flat> flats = new EnumMap<>(Mode.class);
    for (Mode mode : Mode.values()) {
      flats.put(mode, MemoryFootprint.flat(mode, 10, 100));
    }
    flats.put(Mode.PHASE, MemoryFootprint.inFreshJvm(Mode.PHASE, 10, 10, 100)); // the child protocol
    String md = MemoryFootprint.markdown(flats, 10, 30);
    assertTrue(md.contains("| arena-guard confined arena, `phase()` per request | 64 KiB | 64 KiB | 1.000 |"), md);
    assertTrue(md.contains("| fresh `Arena.ofConfined()` per request (JDK) | – | – | – |"), md);
    assertTrue(md.contains("The watchdog did not fire in 30 requests."), md);
  }
}
