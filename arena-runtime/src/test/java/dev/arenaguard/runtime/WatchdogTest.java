package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The retention watchdog reports a never-reset growing arena once, with its name and creation
 * site, under each policy; arenas reset per unit of work are never reported.
 */
class WatchdogTest {

  private static BumpArena.Builder watched(String name, WatchdogPolicy policy) {
    return BumpArena.builder(name).watchdog(policy).watchdogMaxAllocations(100);
  }

  @Test
  void throwPolicyThrowsOnceFromTheAllocationThatCrossesTheThreshold() {
    try (BumpArena arena = watched("cache", WatchdogPolicy.THROW).build()) {
      for (int i = 0; i < 100; i++) {
        arena.allocate(16);
      }
      ArenaRetentionException e = assertThrows(ArenaRetentionException.class, () -> arena.allocate(16));
      assertEquals("cache", e.warning().arenaName());
      assertTrue(
          e.warning().creationSite().contains("WatchdogTest.throwPolicyThrowsOnce"),
          e.warning().creationSite());
      assertTrue(e.getMessage().contains("\"cache\""), e.getMessage());
      assertEquals(100, arena.stats().allocationCount(), "the refused allocation did not happen");
      for (int i = 0; i < 1000; i++) {
        arena.allocate(16); // reported once only
      }
      arena.reset();
      for (int i = 0; i < 1000; i++) {
        arena.allocate(16); // and not again after a reset
      }
    }
  }

  @Test
  void allocationsInsidePhasesOrBetweenResetsAreNotGrowth() {
    try (BumpArena arena = watched("server", WatchdogPolicy.THROW).build()) {
      for (int i = 0; i < 10_000; i++) {
        try (Phase request = arena.phase()) {
          arena.allocate(16);
          arena.allocate(16);
        }
      }
      for (int i = 0; i < 10_000; i++) {
        arena.allocate(16);
        if (i % 50 == 0) {
          arena.reset();
        }
      }
    }
    try (ArenaPool pool = ArenaPool.of(watched("pooled", WatchdogPolicy.THROW), 2)) {
      for (int i = 0; i < 10_000; i++) {
        try (BumpArena arena = pool.acquire()) {
          arena.allocate(16);
        }
      }
    }
  }

  @Test
  void ageThresholdFiresForAnArenaThatStillGrowsLongAfterItsLastReset() throws Exception {
    try (BumpArena arena =
        watched("slow", WatchdogPolicy.THROW)
            .watchdogMaxAllocations(Long.MAX_VALUE)
            .watchdogMaxAge(Duration.ofMillis(50))
            .build()) {
      arena.allocate(16);
      Thread.sleep(100);
      ArenaRetentionException e =
          assertThrows(
              ArenaRetentionException.class,
              () -> {
                for (int i = 0; i < 64 * 1024 / 16 + 1; i++) { // it looks at least every 64 KiB
                  arena.allocate(16);
                }
              });
      assertTrue(e.warning().growingFor().toMillis() >= 50);
      assertTrue(e.warning().reason().contains("still allocating"), e.warning().reason());
    }
  }

  @Test
  void anArenaIdleInAPoolIsNotGrowing() throws Exception {
    BumpArena.Builder template =
        watched("idle", WatchdogPolicy.THROW).watchdogMaxAge(Duration.ofMillis(50));
    try (ArenaPool pool = ArenaPool.of(template, 1)) {
      try (BumpArena arena = pool.acquire()) {
        arena.allocate(16);
      }
      Thread.sleep(100); // idle in the pool for longer than the maximum age
      try (BumpArena arena = pool.acquire()) {
        for (int i = 0; i < 99; i++) {
          arena.allocate(16); // no report: the growth started just now
        }
      }
    }
  }

  @Test
  void sharedArenaWatchdogFiresWhenItTakesANewChunk() {
    try (BumpArena arena =
        watched("shared-cache", WatchdogPolicy.THROW).shared().chunkSize(64).maxChunkSize(64).build()) {
      int made = 0;
      try {
        for (; made < 200; made++) {
          arena.allocate(16);
        }
      } catch (ArenaRetentionException e) {
        assertEquals("shared-cache", e.warning().arenaName());
      }
      assertTrue(made >= 100 && made <= 104, "fired at the first new chunk after 100: " + made);
      for (int i = 0; i < 200; i++) {
        arena.allocate(16);
      }
    }
  }

  @Test
  void sharedArenaWatchdogLooksAtLeastEvery64KiBWhateverTheChunkSize() {
    try (BumpArena arena =
        BumpArena.builder("shared-big")
            .shared()
            .watchdog(WatchdogPolicy.THROW)
            .watchdogMaxAllocations(100_000)
            .chunkSize(16 << 20)
            .build()) {
      int made = 0;
      try {
        for (; made < 200_000; made++) {
          arena.allocate(16);
        }
      } catch (ArenaRetentionException e) {
        assertEquals(made, e.warning().allocationsSinceReset());
      }
      // one chunk of 16 MiB, a million allocations' worth: the look came from a 64 KiB boundary
      assertTrue(
          made >= 100_000 && made <= 100_000 + 4096,
          "within 64 KiB of 16-byte allocations after the threshold: " + made);
      assertEquals(1, arena.stats().chunks());
    }
  }

  @Test
  void logPolicyLogsOneWarningWithNameAndCreationSite() {
    try (TestSupport.LogCapture log = new TestSupport.LogCapture();
        BumpArena arena = watched("logged-cache", WatchdogPolicy.LOG).build()) {
      for (int i = 0; i < 1000; i++) {
        arena.allocate(16);
      }
      List<String> warnings = log.warningsContaining("\"logged-cache\"");
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("WatchdogTest.logPolicyLogsOneWarning"), warnings.get(0));
      assertTrue(warnings.get(0).contains("without a reset"), warnings.get(0));
    }
  }

  @Test
  void jfrPolicyCommitsOneEvent() {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.enable("dev.arenaguard.RetentionWarning");
      stream.onEvent("dev.arenaguard.RetentionWarning", events::add);
      stream.startAsync();
      try (BumpArena arena = watched("recorded-cache", WatchdogPolicy.JFR).build()) {
        for (int i = 0; i < 1000; i++) {
          arena.allocate(16);
        }
      }
      stream.stop(); // flushes and waits until every event was delivered
    }
    List<RecordedEvent> ours =
        events.stream().filter(e -> "recorded-cache".equals(e.getString("arena"))).toList();
    assertEquals(1, ours.size(), events.toString());
    RecordedEvent e = ours.get(0);
    assertTrue(e.getString("creationSite").contains("WatchdogTest.jfrPolicyCommitsOneEvent"));
    assertEquals(100, e.getLong("allocations"));
    assertEquals(1600, e.getLong("bytesAllocated"));
    assertNotNull(e.getStackTrace());
  }

  @Test
  void listenersHearTheWarningUnderEveryPolicyButOff() {
    List<RetentionWarning> heard = new CopyOnWriteArrayList<>();
    try (ArenaRegistry.Registration r =
        ArenaRegistry.addListener(
            new ArenaListener() {
              @Override
              public void retentionWarning(BumpArena arena, RetentionWarning warning) {
                heard.add(warning);
              }
            })) {
      for (WatchdogPolicy policy : WatchdogPolicy.values()) {
        try (BumpArena arena = watched("heard-" + policy, policy).build()) {
          for (int i = 0; i <= 100; i++) {
            try {
              arena.allocate(16);
            } catch (ArenaRetentionException expected) {
              assertEquals(WatchdogPolicy.THROW, policy);
            }
          }
        }
      }
    }
    assertEquals(
        List.of("heard-LOG", "heard-JFR", "heard-THROW"),
        heard.stream().map(RetentionWarning::arenaName).filter(n -> n.startsWith("heard-")).toList());
  }
}
