package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A root arena that becomes unreachable without close() is reported with its name and creation
 * site; its memory is freed only once no segment of it can be reached.
 */
class LeakDetectorTest {
  private final List<LeakReport> reports = new CopyOnWriteArrayList<>();
  private ArenaRegistry.Registration registration;

  @BeforeEach
  void listen() {
    registration =
        ArenaRegistry.addListener(
            new ArenaListener() {
              @Override
              public void leakDetected(LeakReport report) {
                reports.add(report);
              }
            });
  }

  @AfterEach
  void stopListening() {
    registration.close();
  }

  private Optional<LeakReport> reportFor(String name) {
    return reports.stream().filter(r -> r.arenaName().equals(name)).findFirst();
  }

  /** Creates and drops an arena with a child; returns its memory (which does not refer to it). */
  private static ArenaMemory leakAnArena(String name) {
    BumpArena arena = BumpArena.ofConfined(name);
    arena.allocate(JAVA_LONG).set(JAVA_LONG, 0, 1);
    arena.newChild(name + "/child").allocate(100);
    return ((ArenaImpl) arena).memory;
  }

  @Test
  void anUnreachableUnclosedArenaIsReportedAndItsMemoryFreed() throws Exception {
    ArenaMemory memory;
    try (TestSupport.LogCapture log = new TestSupport.LogCapture()) {
      memory = leakAnArena("leaky");
      assertTrue(TestSupport.gcUntil(() -> reportFor("leaky").isPresent()), "no leak report");
      LeakReport report = reportFor("leaky").orElseThrow();
      assertTrue(report.creationSite().contains("LeakDetectorTest.leakAnArena"), report.creationSite());
      assertEquals(2 * BumpArena.Builder.DEFAULT_CHUNK_SIZE, report.bytesReserved());
      List<String> logged = log.warningsContaining("\"leaky\"");
      assertEquals(1, logged.size());
      assertTrue(logged.get(0).contains("without close()"), logged.get(0));
    }
    // the segments were dropped with the arena, so the memory goes back once their scopes do
    assertTrue(TestSupport.gcUntil(memory::isReleased), "leaked memory was not freed");
    assertTrue(ArenaRegistry.roots().stream().noneMatch(a -> a.name().equals("leaky")));
  }

  record Kept(MemorySegment segment, ArenaMemory memory) {}

  private static Kept leakAnArenaButKeepASegment(String name) {
    BumpArena arena = BumpArena.ofConfined(name);
    MemorySegment kept = arena.allocate(JAVA_LONG);
    kept.set(JAVA_LONG, 0, 0x1EAC);
    return new Kept(kept, ((ArenaImpl) arena).memory);
  }

  @Test
  void memoryThatALiveSegmentReachesIsNotFreed() throws Exception {
    Kept leaked = leakAnArenaButKeepASegment("kept");
    ArenaMemory memory = leaked.memory();
    MemorySegment kept = leaked.segment();
    leaked = null;
    assertTrue(TestSupport.gcUntil(() -> reportFor("kept").isPresent()), "no leak report");
    assertFalse(reportFor("kept").orElseThrow().freedAtOnce());
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertFalse(memory.isReleased());
    assertTrue(kept.scope().isAlive());
    assertEquals(0x1EAC, kept.get(JAVA_LONG, 0), "still readable: its memory was not freed");
    kept = null;
    assertTrue(TestSupport.gcUntil(memory::isReleased), "freed once the last segment is unreachable");
  }

  private static void closeProperly(String name) {
    try (BumpArena arena = BumpArena.ofConfined(name)) {
      arena.allocate(8);
    }
    try (ArenaPool pool = ArenaPool.ofConfined(name + "-pool");
        BumpArena leased = pool.acquire()) {
      leased.allocate(8);
    }
  }

  private static void dropALease(ArenaPool pool) {
    pool.acquire().allocate(8);
  }

  @Test
  void closedArenasAreNotReportedButADroppedPoolLeaseIs() throws Exception {
    closeProperly("tidy");
    ArenaPool pool = ArenaPool.ofConfined("leased");
    dropALease(pool);
    assertTrue(TestSupport.gcUntil(() -> reportFor("leased#1").isPresent()), "dropped lease not reported");
    assertTrue(reportFor("leased#1").orElseThrow().creationSite().contains("dropALease"));
    assertFalse(reportFor("tidy").isPresent());
    assertFalse(reportFor("tidy-pool#1").isPresent());
    pool.close();
  }

  @Test
  void leakDetectionCanBeTurnedOff() throws Exception {
    BumpArena.builder("untracked").leakDetection(false).build().allocate(8);
    leakAnArena("tracked");
    assertTrue(TestSupport.gcUntil(() -> reportFor("tracked").isPresent()));
    assertFalse(reportFor("untracked").isPresent());
  }

  @Test
  void rootsListsTheOpenRootArenas() {
    try (BumpArena a = BumpArena.ofConfined("root-a");
        BumpArena b = BumpArena.ofShared("root-b")) {
      a.newChild("not-a-root");
      List<String> names = ArenaRegistry.roots().stream().map(BumpArena::name).toList();
      assertTrue(names.containsAll(List.of("root-a", "root-b")), names.toString());
      assertFalse(names.contains("not-a-root"));
      b.close();
      assertFalse(ArenaRegistry.roots().stream().anyMatch(x -> x.name().equals("root-b")));
    }
  }
}
