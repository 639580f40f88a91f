package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@link java.lang.foreign.SegmentAllocator} methods that write every byte they allocate
 * ({@code allocateFrom} of a value, an array, a segment or a string), implemented without zeroing
 * the memory first: the interface's defaults call {@code allocate}, which zeroes, and the JDK's own
 * arenas skip that through an internal method. The array variants reach the segment variant
 * through the interface's defaults.
 */
abstract sealed class FillingAllocator implements BumpArena permits ArenaImpl, PooledArena {

  /** As {@link #allocate(long, long)}, without zeroing: for callers that overwrite every byte. */
  abstract MemorySegment allocateUninitialized(long byteSize, long byteAlignment);

  private MemorySegment uninitialized(MemoryLayout layout) {
    return allocateUninitialized(layout.byteSize(), layout.byteAlignment());
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfByte layout, byte value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfChar layout, char value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfShort layout, short value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfInt layout, int value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfFloat layout, float value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfLong layout, long value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(ValueLayout.OfDouble layout, double value) {
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(AddressLayout layout, MemorySegment value) {
    Objects.requireNonNull(value);
    MemorySegment s = uninitialized(layout);
    s.set(layout, 0, value);
    return s;
  }

  @Override
  public MemorySegment allocateFrom(
      ValueLayout elementLayout,
      MemorySegment source,
      ValueLayout sourceElementLayout,
      long sourceOffset,
      long elementCount) {
    Objects.requireNonNull(source);
    Objects.requireNonNull(sourceElementLayout);
    if (elementCount < 0) {
      throw new IllegalArgumentException("Negative array size");
    }
    long byteSize;
    try {
      byteSize = Math.multiplyExact(elementLayout.byteSize(), elementCount);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "Size overflow: " + elementCount + " elements of " + elementLayout, e);
    }
    MemorySegment dest = allocateUninitialized(byteSize, elementLayout.byteAlignment());
    MemorySegment.copy(source, sourceElementLayout, sourceOffset, dest, elementLayout, 0, elementCount);
    return dest;
  }

  @Override
  public MemorySegment allocateFrom(String str) {
    return allocateFrom(str, StandardCharsets.UTF_8);
  }

  /**
   * As the JDK's: the string's bytes in {@code charset}, then a terminator of the charset's unit
   * size. ASCII text in a one-byte charset is as long encoded as it is, so the JDK writes it
   * straight into the segment; other text is encoded first, to know its length.
   */
  @Override
  public MemorySegment allocateFrom(String str, Charset charset) {
    Objects.requireNonNull(str);
    int terminator = terminatorSize(charset);
    if (terminator == 1 && isAscii(str)) {
      MemorySegment s = allocateUninitialized(str.length() + 1L, 1);
      s.setString(0, str, charset);
      return s;
    }
    byte[] bytes = str.getBytes(charset);
    MemorySegment s = allocateUninitialized((long) bytes.length + terminator, 1);
    MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
    s.asSlice(bytes.length).fill((byte) 0);
    return s;
  }

  /** The terminator's size in the charsets the JDK supports for C strings; others are refused. */
  private static int terminatorSize(Charset charset) {
    return switch (charset.name()) {
      case "UTF-8", "ISO-8859-1", "US-ASCII" -> 1;
      case "UTF-16", "UTF-16LE", "UTF-16BE" -> 2;
      case "UTF-32", "UTF-32LE", "UTF-32BE" -> 4;
      default -> throw new IllegalArgumentException("Unsupported charset: " + charset);
    };
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
