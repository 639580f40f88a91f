package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** System properties set the builder defaults; bad values fail with a message naming them. */
class ConfigTest {

  private static void withProperty(String key, String value, Runnable body) {
    String before = System.getProperty(key);
    System.setProperty(key, value);
    try {
      body.run();
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  @Test
  void propertiesSetTheDefaults() {
    withProperty("arenaguard.watchdog", "throw", () -> withProperty(
        "arenaguard.watchdog.maxAllocations", "3", () -> {
          try (BumpArena arena = BumpArena.ofConfined("strict")) {
            arena.allocate(1);
            arena.allocate(1);
            arena.allocate(1);
            assertThrows(ArenaRetentionException.class, () -> arena.allocate(1));
          }
        }));
    withProperty("arenaguard.debug.sampleRate", "7", () ->
        assertEquals(7, BumpArena.builder("x").config(false).sampleRate()));
    withProperty("arenaguard.watchdog.maxAge", "PT30S", () ->
        assertEquals(Duration.ofSeconds(30).toNanos(), BumpArena.builder("x").config(false).watchdogMaxAgeNanos()));
    withProperty("arenaguard.leakDetection", "false", () ->
        assertEquals(false, BumpArena.builder("x").config(false).leakDetection()));
    Config defaults = BumpArena.builder("x").config(false);
    assertEquals(WatchdogPolicy.LOG, defaults.watchdog());
    assertEquals(1_000_000, defaults.watchdogMaxAllocations());
    assertEquals(Duration.ofMinutes(10).toNanos(), defaults.watchdogMaxAgeNanos());
    assertEquals(false, defaults.debug());
    assertEquals(256, defaults.sampleRate());
  }

  @Test
  void badPropertiesAndOptionsAreRejectedClearly() {
    withProperty("arenaguard.watchdog", "loud", () -> {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BumpArena.builder("x"));
      assertTrue(e.getMessage().contains("arenaguard.watchdog=\"loud\""), e.getMessage());
      assertTrue(e.getMessage().contains("off, log, jfr or throw"), e.getMessage());
    });
    withProperty("arenaguard.watchdog.maxAge", "ten minutes", () ->
        assertThrows(IllegalArgumentException.class, () -> BumpArena.builder("x")));
    withProperty("arenaguard.debug.sampleRate", "0", () ->
        assertThrows(IllegalArgumentException.class, () -> BumpArena.builder("x")));
    BumpArena.Builder b = BumpArena.builder("x");
    assertThrows(IllegalArgumentException.class, () -> b.chunkSize(10));
    assertThrows(IllegalArgumentException.class, () -> b.retainOnReset(-1));
    assertThrows(IllegalArgumentException.class, () -> b.byteLimit(-1));
    assertThrows(IllegalArgumentException.class, () -> b.debugSampleRate(0));
    assertThrows(IllegalArgumentException.class, () -> b.watchdogMaxAge(Duration.ZERO));
    try (BumpArena shared = BumpArena.ofShared("p")) {
      assertThrows(IllegalArgumentException.class,
          () -> BumpArena.builder("c").parent(shared).confined().build());
      assertTrue(BumpArena.builder("c").parent(shared).build().isShared());
    }
  }
}
