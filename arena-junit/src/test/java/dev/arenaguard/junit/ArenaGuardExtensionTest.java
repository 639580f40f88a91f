package dev.arenaguard.junit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.ArenaRegistry;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import dev.arenaguard.runtime.WatchdogPolicy;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/**
 * The extension, run on deliberately good and bad test classes (the nested {@code *Case} classes,
 * which the build does not run on their own) through the JUnit Platform's test kit. This class is
 * guarded itself: what the cases leave behind must not leak into it.
 */
@ArenaGuarded
class ArenaGuardExtensionTest {

  /** A test class run through the test kit: each test's outcome, null for a success. */
  private record Outcome(Map<String, Throwable> tests, Throwable container) {
    Throwable failure(String test) {
      assertTrue(tests.containsKey(test), "no test " + test + " in " + tests.keySet());
      return tests.get(test);
    }

    String message(String test) {
      Throwable t = failure(test);
      assertInstanceOf(AssertionFailedError.class, t, "the extension fails the test");
      return t.getMessage();
    }
  }

  private static Outcome run(Class<?> testClass, String... parameters) {
    EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass));
    for (int i = 0; i < parameters.length; i += 2) {
      kit = kit.configurationParameter(parameters[i], parameters[i + 1]);
    }
    EngineExecutionResults results = kit.execute();
    Map<String, Throwable> tests = new LinkedHashMap<>();
    for (Event e : results.testEvents().finished().list()) {
      TestExecutionResult r = e.getPayload(TestExecutionResult.class).orElseThrow();
      tests.put(e.getTestDescriptor().getDisplayName(), r.getThrowable().orElse(null));
    }
    Throwable container = null;
    for (Event e : results.containerEvents().finished().list()) {
      if (e.getTestDescriptor().getDisplayName().endsWith(testClass.getSimpleName())) {
        container = e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElse(null);
      }
    }
    return new Outcome(tests, container);
  }

  private static boolean isOpenRoot(String name) {
    return ArenaRegistry.roots().stream().anyMatch(a -> a.name().equals(name));
  }

  private static void assertContainsInOrder(String text, String... parts) {
    int at = 0;
    for (String part : parts) {
      int found = text.indexOf(part, at);
      assertTrue(found >= 0, "missing \"" + part + "\" (in order) in:\n" + text);
      at = found + part.length();
    }
  }

  /** Where the cases keep segments across a reset, as buggy code keeps them in a static. */
  static MemorySegment kept;

  @AfterEach
  void forget() {
    kept = null;
  }

  // ---- leaks

  @ExtendWith(ArenaGuardExtension.class)
  static class LeakingCase {
    @Test
    void leaks() {
      BumpArena arena = BumpArena.ofConfined("leaky");
      arena.allocate(64);
    }

    @Test
    void closes() {
      try (BumpArena arena = BumpArena.ofConfined("tidy")) {
        BumpArena child = arena.newChild("tidy/child");
        child.allocate(8);
        try (Phase phase = arena.phase()) {
          arena.allocate(16);
        }
      }
    }
  }

  @Test
  void aTestThatLeavesAnArenaOpenFailsNamingTheCreationSite() {
    Outcome outcome = run(LeakingCase.class);
    assertContainsInOrder(
        outcome.message("leaks()"),
        "arena-guard: this test left 1 arena open:",
        "- confined arena \"leaky\" (64 bytes allocated, 65,536 bytes reserved, 1 allocation)"
            + " was not closed; created at",
        "at dev.arenaguard.junit.ArenaGuardExtensionTest$LeakingCase.leaks(ArenaGuardExtensionTest.java:",
        "(The extension closed those still open.)");
    assertTrue(!isOpenRoot("leaky"), "the extension closed the leaked arena");
    assertNull(outcome.failure("closes()"), "a test that closes its arenas passes");
    assertNull(outcome.container());
  }

  @ExtendWith(ArenaGuardExtension.class)
  static class ParentAndChildCase {
    @Test
    void leaksATree() {
      BumpArena root = BumpArena.ofConfined("tree");
      root.newChild("branch").allocate(8);
    }
  }

  @Test
  void aLeakedTreeIsReportedOnceByItsRoot() {
    String message = run(ParentAndChildCase.class).message("leaksATree()");
    assertTrue(message.contains("left 1 arena open"), message);
    assertTrue(!message.contains("branch"), message);
  }

  @ExtendWith(ArenaGuardExtension.class)
  static class LeaseCase {
    static final ArenaPool POOL = ArenaPool.ofConfined("requests");

    @Test
    void keepsALease() {
      POOL.acquire().allocate(8);
    }

    @Test
    void returnsItsLease() {
      try (BumpArena lease = POOL.acquire()) {
        lease.allocate(8);
      }
    }
  }

  @Test
  void anUnreturnedLeaseFailsButAPoolsIdleArenasDoNot() {
    Outcome outcome = run(LeaseCase.class);
    assertContainsInOrder(
        outcome.message("keepsALease()"),
        "left 1 arena open:",
        "- arena \"requests#1\" acquired from pool \"requests\" was not returned",
        "acquired at",
        "at dev.arenaguard.junit.ArenaGuardExtensionTest$LeaseCase.keepsALease(");
    assertNull(outcome.failure("returnsItsLease()"));
    assertNull(outcome.container(), "the pool's idle arena is not a leak of the class");
    assertEquals(1, LeaseCase.POOL.idleCount(), "the extension returned the lease to its pool");
    LeaseCase.POOL.close();
  }

  @ExtendWith(ArenaGuardExtension.class)
  static class DroppedCase {
    @Test
    void dropsAnArena() throws InterruptedException {
      WeakReference<BumpArena> ref = new WeakReference<>(BumpArena.ofConfined("dropped"));
      for (int i = 0; i < 200 && ref.get() != null; i++) {
        System.gc();
        Thread.sleep(10);
      }
    }
  }

  @Test
  void anArenaDroppedWithoutCloseFailsToo() {
    assertContainsInOrder(
        run(DroppedCase.class).message("dropsAnArena()"),
        "- confined arena \"dropped\" became unreachable without close(); created at",
        "DroppedCase.dropsAnArena(");
  }

  @ExtendWith(ArenaGuardExtension.class)
  static class ThreadCase {
    @Test
    void leaksOnAThreadItStarted() throws InterruptedException {
      Thread t = new Thread(() -> BumpArena.ofShared("from-a-thread").allocate(8));
      t.start();
      t.join();
    }
  }

  @Test
  void arenasOfThreadsTheTestStartedBelongToIt() {
    assertContainsInOrder(
        run(ThreadCase.class).message("leaksOnAThreadItStarted()"),
        "- shared arena \"from-a-thread\"",
        "ThreadCase.lambda$leaksOnAThreadItStarted");
    assertTrue(!isOpenRoot("from-a-thread"), "a shared arena is closed from any thread");
  }

  @ExtendWith(ArenaGuardExtension.class)
  static class FieldCase {
    final BumpArena arena = BumpArena.ofConfined("field");

    @Test
    void usesTheField() {
      arena.allocate(8);
    }
  }

  @Test
  void anArenaOfTheTestInstanceMustBeClosedByTheClass() {
    Outcome outcome = run(FieldCase.class);
    assertNull(outcome.failure("usesTheField()"), "the field is not the test method's");
    assertInstanceOf(AssertionFailedError.class, outcome.container());
    assertContainsInOrder(
        outcome.container().getMessage(),
        "arena-guard: this test class left 1 arena open:",
        "- confined arena \"field\"",
        "FieldCase.<init>(",
        "in @AfterAll or @AfterEach");
  }

  // ---- the retention watchdog

  @ExtendWith(ArenaGuardExtension.class)
  static class RetentionCase {
    @Test
    void growsWithoutAReset() {
      try (BumpArena cache =
          BumpArena.builder("cache").watchdog(WatchdogPolicy.JFR) // any policy: the extension hears the watchdog
              .watchdogMaxAllocations(10)
              .build()) {
        for (int i = 0; i < 20; i++) {
          cache.allocate(16);
        }
      }
    }
  }

  @Test
  void aTestThatTripsTheWatchdogFails() {
    assertContainsInOrder(
        run(RetentionCase.class).message("growsWithoutAReset()"),
        "arena-guard: the retention watchdog fired during this test:",
        "arena \"cache\" (created at dev.arenaguard.junit.ArenaGuardExtensionTest$RetentionCase.growsWithoutAReset(",
        "keeps growing without a reset");
  }

  // ---- use after reset

  private static void keepHeader(BumpArena arena) {
    kept = arena.allocate(JAVA_LONG);
  }

  private static void endRequest(BumpArena arena) {
    arena.reset();
  }

  @ArenaGuarded(strict = true)
  static class StrictCase {
    @Test
    void usesASegmentAfterReset() {
      try (BumpArena arena = BumpArena.ofConfined("strict")) {
        arena.allocate(100); // not kept: not the culprit
        keepHeader(arena);
        endRequest(arena);
        kept.get(JAVA_LONG, 0);
      }
    }

    @Test
    void usesASliceAfterAPhase() {
      try (BumpArena arena = BumpArena.ofConfined("strict-phase")) {
        try (Phase phase = arena.phase()) {
          kept = arena.allocate(64).asSlice(8, 8);
        }
        kept.get(JAVA_LONG, 0);
      }
    }
  }

  @Test
  void strictModeReportsAUseAfterResetWithBothSites() {
    Outcome outcome = run(StrictCase.class);
    Throwable failure = outcome.failure("usesASegmentAfterReset()");
    assertInstanceOf(AssertionFailedError.class, failure);
    assertInstanceOf(IllegalStateException.class, failure.getCause(), "the JDK's exception is the cause");
    assertContainsInOrder(
        failure.getMessage(),
        "==ERROR: arena-guard: use-after-reset on segment 0x",
        "(8 bytes)",
        "ACCESS (the failure's stack):",
        "at dev.arenaguard.junit.ArenaGuardExtensionTest$StrictCase.usesASegmentAfterReset(",
        "confined arena \"strict\"",
        "FREED BY reset()",
        "at dev.arenaguard.junit.ArenaGuardExtensionTest.endRequest(",
        "ALLOCATED BY thread",
        "at dev.arenaguard.junit.ArenaGuardExtensionTest.keepHeader(",
        "at dev.arenaguard.junit.ArenaGuardExtensionTest$StrictCase.usesASegmentAfterReset(",
        "Identified as the only ended epoch of the arenas used");
    assertContainsInOrder(
        outcome.message("usesASliceAfterAPhase()"),
        "use-after-phase on a segment",
        "the phase at depth 1 of confined arena \"strict-phase\"",
        "FREED BY phase close",
        "ALLOCATED BY: not identified exactly",
        "(64 bytes) allocated at dev.arenaguard.junit.ArenaGuardExtensionTest$StrictCase.usesASliceAfterAPhase(");
    assertEquals(null, System.getProperty("arenaguard.debug"), "strict mode restores debug mode");
  }

  @ArenaGuarded(strict = true)
  static class StrictLifecycleCase {
    BumpArena arena;

    @BeforeEach
    void startRequest() {
      arena = BumpArena.ofConfined("lifecycle");
      keepHeader(arena);
      endRequest(arena);
    }

    @Test
    void passes() {}

    @AfterEach
    void readsTheKeptSegment() {
      try {
        kept.get(JAVA_LONG, 0);
      } finally {
        arena.close();
      }
    }
  }

  @Test
  void strictModeReportsAUseAfterResetInALifecycleMethod() {
    assertContainsInOrder(
        run(StrictLifecycleCase.class).message("passes()"),
        "use-after-reset on segment",
        "StrictLifecycleCase.readsTheKeptSegment(",
        "confined arena \"lifecycle\"",
        "FREED BY reset()",
        "ALLOCATED BY thread",
        "keepHeader");
  }

  @ExtendWith(ArenaGuardExtension.class)
  static class NotStrictCase {
    @Test
    void usesASegmentAfterReset() {
      try (BumpArena arena = BumpArena.ofConfined("lenient")) {
        keepHeader(arena);
        endRequest(arena);
        kept.get(JAVA_LONG, 0);
      }
    }
  }

  @Test
  void withoutStrictModeTheJdksExceptionIsLeftAlone() {
    Throwable failure = run(NotStrictCase.class).failure("usesASegmentAfterReset()");
    assertInstanceOf(IllegalStateException.class, failure);
    assertEquals("Already closed", failure.getMessage());
  }

  @Test
  void strictModeCanBeSwitchedOnForTheWholeSuite() {
    String message =
        run(NotStrictCase.class, ArenaGuardExtension.STRICT_PARAMETER, "true").message("usesASegmentAfterReset()");
    assertContainsInOrder(message, "use-after-reset", "FREED BY reset()", "ALLOCATED BY thread", "keepHeader");
  }
}
