package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The {@code allocateFrom} family writes what the JDK's arenas write, byte for byte, and does not
 * zero the memory it is about to overwrite.
 */
class AllocateFromTest {

  /** Every allocateFrom variant, applied to an allocator. */
  private static final List<Function<SegmentAllocator, MemorySegment>> VARIANTS =
      List.of(
          a -> a.allocateFrom(JAVA_BYTE, (byte) -3),
          a -> a.allocateFrom(JAVA_CHAR, 'é'),
          a -> a.allocateFrom(JAVA_SHORT, (short) -1234),
          a -> a.allocateFrom(JAVA_INT, 0xCAFEBABE),
          a -> a.allocateFrom(JAVA_FLOAT, 1.5f),
          a -> a.allocateFrom(JAVA_LONG, Long.MIN_VALUE + 7),
          a -> a.allocateFrom(JAVA_DOUBLE, Math.PI),
          a -> a.allocateFrom(ADDRESS, MemorySegment.ofAddress(0x1234_5678L)),
          a -> a.allocateFrom(JAVA_BYTE, new byte[] {1, 2, 3, 4, 5}),
          a -> a.allocateFrom(JAVA_SHORT, new short[] {1, -2, 3}),
          a -> a.allocateFrom(JAVA_CHAR, 'a', 'β', 'ℤ'),
          a -> a.allocateFrom(JAVA_INT, 1, 2, 3, -4),
          a -> a.allocateFrom(JAVA_FLOAT, 0.5f, -0f),
          a -> a.allocateFrom(JAVA_LONG, 1L, Long.MAX_VALUE),
          a -> a.allocateFrom(JAVA_DOUBLE, new double[] {1e300, -0.0}),
          a -> a.allocateFrom(JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 7, 8),
          a ->
              a.allocateFrom(
                  JAVA_INT, MemorySegment.ofArray(new int[] {9, 10, 11, 12}), JAVA_INT, 4, 2),
          a -> a.allocateFrom(""),
          a -> a.allocateFrom("hello, arena"),
          a -> a.allocateFrom("naïve ☃ \uD83D\uDE00"),
          a -> a.allocateFrom("lone \uD800 surrogate"));

  private static final List<Charset> CHARSETS =
      List.of(
          StandardCharsets.UTF_8,
          StandardCharsets.ISO_8859_1,
          StandardCharsets.US_ASCII,
          StandardCharsets.UTF_16,
          StandardCharsets.UTF_16LE,
          StandardCharsets.UTF_16BE,
          Charset.forName("UTF-32"),
          Charset.forName("UTF-32LE"),
          Charset.forName("UTF-32BE"));

  @Test
  void everyVariantWritesWhatTheJdksArenaWrites() {
    try (Arena jdk = Arena.ofConfined();
        BumpArena confined = BumpArena.ofConfined("confined");
        BumpArena shared = BumpArena.ofShared("shared");
        ArenaPool pool = ArenaPool.ofConfined("pool");
        BumpArena lease = pool.acquire()) {
      for (BumpArena ours : new BumpArena[] {confined, shared, lease}) {
        for (int i = 0; i < VARIANTS.size(); i++) {
          assertSame(VARIANTS.get(i).apply(jdk), VARIANTS.get(i).apply(ours), "variant " + i + " of " + ours);
        }
        for (Charset cs : CHARSETS) {
          for (String s : new String[] {"", "ascii", "Latin-1: déjà", "BMP ☃ and \uD83D\uDE00"}) {
            assertSame(jdk.allocateFrom(s, cs), ours.allocateFrom(s, cs), cs + " \"" + s + "\"");
          }
        }
      }
    }
  }

  private static void assertSame(MemorySegment expected, MemorySegment actual, String what) {
    assertEquals(expected.byteSize(), actual.byteSize(), what + ": size");
    assertArrayEquals(expected.toArray(JAVA_BYTE), actual.toArray(JAVA_BYTE), what + ": bytes");
    assertEquals(0, actual.address() % 8, what + ": aligned as every segment of ours is");
  }

  @Test
  void badArgumentsFailAsWithTheJdksArena() {
    try (Arena jdk = Arena.ofConfined();
        BumpArena ours = BumpArena.ofConfined("bad")) {
      for (SegmentAllocator a : new SegmentAllocator[] {jdk, ours}) {
        assertThrows(IllegalArgumentException.class, () -> a.allocateFrom("x", Charset.forName("UTF-7-not")));
        assertThrows(IllegalArgumentException.class, () -> a.allocateFrom("x", Charset.forName("windows-1252")));
        assertThrows(NullPointerException.class, () -> a.allocateFrom((String) null));
        assertThrows(
            IllegalArgumentException.class,
            () -> a.allocateFrom(ADDRESS, MemorySegment.ofArray(new byte[8])));
        assertThrows(
            IllegalArgumentException.class,
            () -> a.allocateFrom(JAVA_INT, MemorySegment.ofArray(new int[4]), JAVA_INT, 0, -1));
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> a.allocateFrom(JAVA_INT, MemorySegment.ofArray(new int[4]), JAVA_INT, 8, 4));
      }
    }
  }

  /**
   * The next allocation's memory is written through an alias before {@code allocateFrom} copies
   * that same memory onto itself: a zeroing allocator would copy zeros, this one copies the bytes.
   * (The array variants reach this one through the interface's defaults.)
   */
  @Test
  void copyingVariantsDoNotZeroFirst() {
    try (BumpArena arena = BumpArena.ofConfined("no-zeroing")) {
      MemorySegment probe = arena.allocate(8, 8);
      MemorySegment next = MemorySegment.ofAddress(probe.address() + 8).reinterpret(64);
      next.fill((byte) 0x5A);
      MemorySegment copy = arena.allocateFrom(JAVA_BYTE, next, JAVA_BYTE, 0, 64);
      assertEquals(next.address(), copy.address(), "the copy landed where its source was");
      for (byte b : copy.toArray(JAVA_BYTE)) {
        assertEquals(0x5A, b, "not zeroed before the copy");
      }
      MemorySegment zeroed = arena.allocate(64, 8);
      assertEquals(0, zeroed.get(JAVA_BYTE, 0), "allocate still zeroes");
    }
  }

  @Test
  void aValueLayoutsAlignmentIsHonoured() {
    try (BumpArena arena = BumpArena.ofConfined("aligned")) {
      arena.allocate(1);
      ValueLayout.OfLong wide = JAVA_LONG.withByteAlignment(64);
      assertEquals(0, arena.allocateFrom(wide, 5L).address() % 64);
    }
  }
}
