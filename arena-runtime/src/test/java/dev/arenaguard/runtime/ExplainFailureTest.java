package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static dev.arenaguard.runtime.TestSupport.assertContainsInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Explaining a use after reset from the failure alone, as a test framework or request handler
 * sees it: the stale segment is found as the one an ended epoch still has reachable.
 */
class ExplainFailureTest {
  /** Where a buggy program keeps a segment across requests. */
  static MemorySegment kept;

  @AfterEach
  void forget() {
    kept = null;
  }

  private static BumpArena debugArena(String name) {
    return BumpArena.builder(name).debug(true).debugSampleRate(1).build();
  }

  private static void keepHeader(BumpArena arena) {
    kept = arena.allocate(JAVA_LONG);
  }

  private static void endRequest(BumpArena arena) {
    arena.reset();
  }

  private static void readKept() {
    kept.get(JAVA_LONG, 0);
  }

  @Test
  void theJdksFailureIsRecognised() {
    try (BumpArena arena = BumpArena.ofConfined("recognised")) {
      MemorySegment s = arena.allocate(8);
      arena.reset();
      IllegalStateException failure = assertThrows(IllegalStateException.class, () -> s.get(JAVA_LONG, 0));
      assertTrue(ArenaDebug.isUseAfterReset(failure));
      assertFalse(ArenaDebug.isUseAfterReset(new IllegalStateException("Already closed")));
      assertFalse(ArenaDebug.isUseAfterReset(new IllegalArgumentException("x")));
    }
  }

  @Test
  void aKeptSegmentIsIdentifiedWithAllThreeSites() {
    try (BumpArena arena = debugArena("identified")) {
      arena.allocate(100); // garbage of the same epoch: not kept, not the culprit
      keepHeader(arena);
      endRequest(arena);
      IllegalStateException failure = assertThrows(IllegalStateException.class, ExplainFailureTest::readKept);
      String report = ArenaDebug.explainFailure(failure, List.of(arena));
      assertContainsInOrder(
          report,
          "==ERROR: arena-guard: use-after-reset on segment 0x",
          "(8 bytes)",
          "ACCESS (the failure's stack):",
          "at dev.arenaguard.runtime.ExplainFailureTest.readKept",
          "the base epoch (after 0 resets) of confined arena \"identified\"",
          "FREED BY reset()",
          "at dev.arenaguard.runtime.ExplainFailureTest.endRequest",
          "ALLOCATED BY thread",
          "(8 bytes)",
          "at dev.arenaguard.runtime.ExplainFailureTest.keepHeader",
          "Identified as the only ended epoch of the arenas used that still has a reachable segment,"
              + " and its only reachable segment");
      assertFalse(report.contains("jdk.internal.foreign"), "the JDK's access frames are cut:\n" + report);
    }
  }

  @Test
  void aKeptSliceIdentifiesTheEpochButNotTheAllocation() {
    try (BumpArena arena = debugArena("sliced")) {
      try (Phase phase = arena.phase()) {
        kept = arena.allocate(64).asSlice(8, 8);
        arena.allocate(16);
      }
      IllegalStateException failure = assertThrows(IllegalStateException.class, ExplainFailureTest::readKept);
      String report = ArenaDebug.explainFailure(failure, List.of(arena));
      assertContainsInOrder(
          report,
          "use-after-phase on a segment",
          "the phase at depth 1 of confined arena \"sliced\"",
          "FREED BY phase close",
          "ALLOCATED BY: not identified exactly: no segment object it handed out is reachable",
          "(64 bytes) allocated at dev.arenaguard.runtime.ExplainFailureTest.aKeptSlice",
          "(16 bytes) allocated at");
    }
  }

  /** Allocates, resets and fails; the segment is unreachable once this returns. */
  private static IllegalStateException failAndForget(BumpArena arena, long size) {
    MemorySegment local = arena.allocate(size);
    endRequest(arena);
    return assertThrows(IllegalStateException.class, () -> local.get(JAVA_LONG, 0));
  }

  @Test
  void withNothingReachableTheRecentEpochsOfTheArenasUsedAreDescribed() {
    try (BumpArena arena = debugArena("gone");
        BumpArena other = debugArena("gone-other")) {
      IllegalStateException failure = failAndForget(arena, 24);
      assertContainsInOrder(
          ArenaDebug.explainFailure(failure, List.of(arena)),
          "==ERROR: arena-guard: use after reset, phase end or close",
          "ACCESS (the failure's stack):",
          "at dev.arenaguard.runtime.ExplainFailureTest.lambda$failAndForget",
          "The segment could not be identified: no segment of an ended epoch of the arenas used is"
              + " still reachable",
          "The most recently ended epochs of the arenas used",
          "- the base epoch (after 0 resets) of confined arena \"gone\", FREED BY reset()",
          "at dev.arenaguard.runtime.ExplainFailureTest.endRequest",
          "(24 bytes) allocated at dev.arenaguard.runtime.ExplainFailureTest.failAndForget");
      assertContainsInOrder(
          ArenaDebug.explainFailure(failure, List.of(other)),
          "The segment could not be identified",
          "The most recently ended epochs of the arenas used",
          "(none recorded)");
    }
  }

  @Test
  void severalKeptEpochsAreListedAsCandidates() {
    try (BumpArena a = debugArena("first");
        BumpArena b = debugArena("second")) {
      MemorySegment one = a.allocate(8);
      MemorySegment two = b.allocate(16);
      a.reset();
      b.reset();
      IllegalStateException failure =
          assertThrows(IllegalStateException.class, () -> one.get(JAVA_LONG, 0));
      assertContainsInOrder(
          ArenaDebug.explainFailure(failure, List.of(a, b)),
          "The segment could not be identified exactly: 2 ended epochs of the arenas used still have"
              + " reachable segments. Candidates:",
          "reachable segments:",
          "allocated at dev.arenaguard.runtime.ExplainFailureTest.severalKeptEpochs",
          "reachable segments:",
          "allocated at dev.arenaguard.runtime.ExplainFailureTest.severalKeptEpochs");
      assertEquals(24, one.byteSize() + two.byteSize()); // both are kept until here
    }
  }

  @Test
  void withoutDebugModeTheReportSaysHowToGetOne() {
    try (BumpArena arena = BumpArena.builder("quiet").debug(false).build()) {
      MemorySegment s = arena.allocate(8);
      arena.reset();
      IllegalStateException failure = assertThrows(IllegalStateException.class, () -> s.get(JAVA_LONG, 0));
      assertTrue(
          ArenaDebug.explainFailure(failure, List.of(arena))
              .contains("None of the arenas used is in debug mode")
          , "a hint to enable debug mode");
    }
  }

  @Test
  void creationSitesArePublic() {
    try (BumpArena plain = BumpArena.ofConfined("site");
        BumpArena debug = debugArena("site-debug");
        ArenaPool pool = ArenaPool.ofConfined("site-pool")) {
      assertTrue(ArenaDebug.creationSite(plain).startsWith("dev.arenaguard.runtime.ExplainFailureTest.creationSitesArePublic("));
      assertEquals(1, ArenaDebug.creationStack(plain).size());
      assertTrue(ArenaDebug.creationStack(debug).size() > 1, "debug mode records more frames");
      assertEquals("debugArena", ArenaDebug.creationStack(debug).get(0).getMethodName());
      BumpArena lease = pool.acquire();
      lease.close();
      assertTrue(ArenaDebug.creationSite(lease).contains("creationSitesArePublic"), "also for a returned lease");
    }
  }
}
