package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * SPEC 3.2: returning memory never lands on an allocation, nor on the end of an epoch. Chunks
 * beyond the retained capacity go back to the OS on the background thread once they stayed unused
 * for the decay time.
 */
class SurplusDecayTest {
  private static final Duration NEVER = Duration.ofHours(1);

  /** Waits up to 10 s for {@code bytes} to reach {@code expected}; returns the last value seen. */
  private static long await(LongSupplier bytes, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long now = bytes.getAsLong();
    while (now != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
      now = bytes.getAsLong();
    }
    return now;
  }

  @Test
  void neitherAnEpochsEndNorAnAllocationFreesAChunk() {
    try (BumpArena arena =
        BumpArena.builder("no-frees").chunkSize(4096).retainOnReset(0).surplusDecay(NEVER).build()) {
      arena.allocate(100_000); // 4 KiB, then a chunk of its own
      arena.allocate(16);
      long reserved = arena.stats().bytesReserved();
      arena.reset();
      assertEquals(reserved, arena.stats().bytesReserved(), "the reset freed nothing");
      for (int i = 0; i < 10_000; i++) {
        arena.allocate(64);
        try (Phase p = arena.phase()) {
          arena.allocate(200_000);
        }
        assertEquals(
            Math.max(reserved, arena.stats().bytesReserved()),
            arena.stats().bytesReserved(),
            "no allocation and no phase end freed a chunk");
      }
    }
  }

  @Test
  void theSurplusGoesBackOnTheBackgroundThreadAfterTheDecayTime() throws InterruptedException {
    try (BumpArena arena =
        BumpArena.builder("decays")
            .chunkSize(4096)
            .retainOnReset(4096)
            .surplusDecay(Duration.ofMillis(20))
            .build()) {
      arena.allocate(4000);
      arena.allocate(8000); // a second chunk, of 8 KiB
      arena.reset();
      assertEquals(4096 + 8192, arena.stats().bytesReserved(), "the reset itself frees nothing");
      assertEquals(4096, await(() -> arena.stats().bytesReserved(), 4096), "the 8 KiB chunk went back");
      assertEquals(1, arena.stats().chunks());
    }
  }

  @Test
  void aPhasesSurplusGoesBackToo() throws InterruptedException {
    try (BumpArena arena =
        BumpArena.builder("phases").chunkSize(4096).retainOnReset(0).surplusDecay(Duration.ZERO).build()) {
      arena.allocate(16);
      try (Phase big = arena.phase()) {
        arena.allocate(100_000); // a chunk of its own
      }
      assertEquals(4096, await(() -> arena.stats().bytesReserved(), 4096));
      arena.allocate(16); // the base epoch's chunk is still in use
    }
  }

  @Test
  void aSurplusTakenBackBeforeTheDecayTimeStays() throws InterruptedException {
    try (BumpArena arena =
        BumpArena.builder("burst")
            .chunkSize(4096)
            .retainOnReset(0)
            .surplusDecay(Duration.ofMillis(300))
            .build()) {
      long reservations = 0;
      for (int i = 0; i < 10; i++) { // bursts 10 ms apart: each finds the last one's chunk
        arena.allocate(100_000);
        arena.reset();
        reservations = arena.stats().chunkReservations();
        Thread.sleep(10);
      }
      assertEquals(1, reservations, "one chunk, reserved once, reused by every burst");
      assertEquals(0, await(() -> arena.stats().bytesReserved(), 0), "then it decays");
    }
  }

  @Test
  void anIdleArenaInAPoolKeepsNoMoreThanItsRetainedCapacity() throws InterruptedException {
    try (ArenaPool pool =
        ArenaPool.of(
            BumpArena.builder("idle").chunkSize(4096).retainOnReset(0).surplusDecay(Duration.ZERO), 1)) {
      try (BumpArena arena = pool.acquire()) {
        arena.allocate(100);
        arena.allocate(10_000);
      }
      assertEquals(1, pool.idleCount());
      assertEquals(0, await(() -> pool.stats().bytesReserved(), 0), "retainOnReset(0) keeps nothing when idle");
    }
  }

  @Test
  void closingAnArenaFreesItsChunksAtOnce() {
    BumpArena arena = BumpArena.builder("close").chunkSize(4096).surplusDecay(NEVER).build();
    arena.allocate(100_000);
    arena.reset();
    arena.close();
    assertEquals(0, arena.stats().bytesReserved());
    assertTrue(((ArenaImpl) arena).memory.isReleased());
  }
}
