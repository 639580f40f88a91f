package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static dev.arenaguard.runtime.TestSupport.assertContainsInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Debug mode names where a stale segment was allocated and where its epoch ended. */
class DebugReportTest {

  private static BumpArena debugArena(String name) {
    return BumpArena.builder(name).debug(true).debugSampleRate(1).build();
  }

  private static MemorySegment allocateHeader(BumpArena arena) {
    MemorySegment header = arena.allocate(JAVA_INT);
    header.set(JAVA_INT, 0, 7);
    return header;
  }

  private static void endRequest(BumpArena arena) {
    arena.reset();
  }

  @Test
  void useAfterResetNamesTheAccessTheFreeAndTheAllocationSites() {
    try (BumpArena arena = debugArena("request")) {
      MemorySegment header = allocateHeader(arena);
      endRequest(arena);
      IllegalStateException failure =
          assertThrows(IllegalStateException.class, () -> header.get(JAVA_INT, 0));
      IllegalStateException explained = ArenaDebug.explain(failure, header);
      assertSame(failure, explained.getCause());
      String report = explained.getMessage();
      assertContainsInOrder(
          report,
          "use-after-reset",
          "ACCESS on thread \"" + Thread.currentThread().getName() + "\"",
          "DebugReportTest.useAfterResetNamesTheAccessTheFreeAndTheAllocationSites",
          "the base epoch",
          "confined arena \"request\"",
          "created at dev.arenaguard.runtime.DebugReportTest.debugArena",
          "FREED BY reset()",
          "at dev.arenaguard.runtime.DebugReportTest.endRequest",
          "at dev.arenaguard.runtime.DebugReportTest.useAfterReset",
          "ALLOCATED BY thread",
          "(4 bytes)",
          "at dev.arenaguard.runtime.DebugReportTest.allocateHeader",
          "at dev.arenaguard.runtime.DebugReportTest.useAfterReset");
      assertTrue(!report.contains("ArenaImpl"), "library frames are cut:\n" + report);
    }
  }

  @Test
  void useAfterPhaseAndUseAfterCloseSayWhatEndedTheEpoch() {
    BumpArena arena = debugArena("tuple");
    MemorySegment row;
    try (Phase phase = arena.phase()) {
      row = allocateHeader(arena);
    }
    String report = ArenaDebug.explain(row);
    assertContainsInOrder(
        report,
        "use-after-phase",
        "the phase at depth 1",
        "FREED BY phase close",
        "useAfterPhaseAndUseAfterCloseSayWhatEndedTheEpoch",
        "ALLOCATED BY",
        "allocateHeader");
    MemorySegment base = allocateHeader(arena);
    arena.close();
    assertContainsInOrder(ArenaDebug.explain(base), "use-after-close", "FREED BY close()");
  }

  @Test
  void aSliceOfAStaleSegmentIsExplainedToo() {
    try (BumpArena arena = debugArena("slices")) {
      arena.allocate(100);
      MemorySegment big = arena.allocate(64);
      MemorySegment slice = big.asSlice(40, 8);
      arena.reset();
      assertContainsInOrder(ArenaDebug.explain(slice), "use-after-reset", "ALLOCATED BY", "(64 bytes)");
    }
  }

  @Test
  void aLiveSegmentIsDescribedWithItsOwner() {
    try (BumpArena arena = debugArena("live")) {
      MemorySegment s = arena.allocate(8);
      assertContainsInOrder(
          ArenaDebug.explain(s),
          "is live",
          "confined arena \"live\"",
          "only thread \"" + Thread.currentThread().getName() + "\" may use it");
    }
  }

  @Test
  void sharedArenaSegmentsAreExplained() throws Exception {
    try (BumpArena arena = BumpArena.builder("shared-debug").shared().debug(true).debugSampleRate(1).build()) {
      MemorySegment s = (MemorySegment) TestSupport.onOtherThread(() -> allocateHeader(arena));
      endRequest(arena);
      assertContainsInOrder(
          ArenaDebug.explain(s), "use-after-reset", "shared arena \"shared-debug\"", "FREED BY reset()", "ALLOCATED BY thread");
    }
  }

  @Test
  void unsampledAllocationsAndNonDebugArenasSaySo() {
    try (BumpArena arena = BumpArena.builder("sampled").debug(true).debugSampleRate(1 << 30).build()) {
      MemorySegment s = arena.allocate(8);
      arena.reset();
      assertContainsInOrder(
          ArenaDebug.explain(s),
          "use-after-reset",
          "FREED BY reset() on thread \"" + Thread.currentThread().getName() + "\":",
          "(stack not sampled; -Darenaguard.debug.sampleRate=1 records every one)",
          "ALLOCATED BY: not sampled (one allocation in 1073741824",
          "The epoch was opened by the arena's creation on thread",
          "(stack not sampled");
    }
    try (BumpArena arena = BumpArena.builder("quiet").debug(false).build()) {
      MemorySegment s = arena.allocate(8);
      assertTrue(ArenaDebug.explain(s).contains("not allocated by a BumpArena in debug mode"));
    }
    try (Arena jdk = Arena.ofConfined()) {
      assertTrue(ArenaDebug.explain(jdk.allocate(8)).contains("no debug record"));
    }
  }

  private static Phase openRequest(BumpArena arena) {
    return arena.phase();
  }

  @Test
  void theReportNamesTheCallThatOpenedTheEpochNotItsFirstAllocation() {
    try (BumpArena arena = debugArena("opened")) {
      MemorySegment row;
      try (Phase p = openRequest(arena)) {
        row = allocateHeader(arena);
      }
      String report = ArenaDebug.explain(row);
      String opened = report.substring(report.indexOf("The epoch was opened"));
      assertContainsInOrder(
          opened,
          "The epoch was opened by phase() on thread",
          "at dev.arenaguard.runtime.DebugReportTest.openRequest",
          "at dev.arenaguard.runtime.DebugReportTest.theReportNamesTheCallThatOpenedTheEpoch");
      assertTrue(!opened.contains("allocateHeader"), opened);

      endRequest(arena); // the next base epoch opens here
      MemorySegment base = allocateHeader(arena);
      arena.reset();
      assertContainsInOrder(
          ArenaDebug.explain(base),
          "the base epoch (after 1 resets)",
          "The epoch was opened by reset() on thread",
          "at dev.arenaguard.runtime.DebugReportTest.endRequest");
    }
  }

  @Test
  void aPooledArenasEpochIsOpenedByTheAcquire() {
    try (ArenaPool pool = ArenaPool.of(BumpArena.builder("pooled").debug(true).debugSampleRate(1), 1)) {
      try (BumpArena lease = pool.acquire()) {
        lease.allocate(8);
      }
      MemorySegment kept;
      try (BumpArena lease = pool.acquire()) {
        kept = allocateHeader(lease);
      }
      assertContainsInOrder(
          ArenaDebug.explain(kept),
          "FREED BY close() of a pooled arena",
          "The epoch was opened by ArenaPool.acquire() on thread",
          "aPooledArenasEpochIsOpenedByTheAcquire");
    }
  }

  @Test
  void debugModeDefaultsToTheSystemProperty() {
    String before = System.getProperty("arenaguard.debug");
    System.setProperty("arenaguard.debug", "true");
    try (BumpArena arena = BumpArena.ofConfined("by-property")) {
      assertTrue(ArenaDebug.isEnabledByDefault());
      MemorySegment s = allocateHeader(arena);
      arena.reset();
      assertContainsInOrder(ArenaDebug.explain(s), "use-after-reset", "confined arena \"by-property\"");
    } finally {
      if (before == null) {
        System.clearProperty("arenaguard.debug");
      } else {
        System.setProperty("arenaguard.debug", before);
      }
    }
    assertEquals(false, ArenaDebug.isEnabledByDefault());
  }
}
