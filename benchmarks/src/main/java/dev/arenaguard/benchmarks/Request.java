package dev.arenaguard.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The request every lifecycle benchmark runs: {@value #ALLOCATIONS} allocations of mixed sizes,
 * from a 16-byte header to 4 KiB buffers (36,208 bytes in all), each touched — a long written and
 * read back — and handed to a {@link Blackhole}, so that no allocator's segments can be optimised
 * away (a slicing allocator's, fully inlined, otherwise are).
 */
final class Request {
  static final int ALLOCATIONS = 100;

  static final long[] SIZES = new long[ALLOCATIONS];

  /** The bytes requested by one request. */
  static final long BYTES;

  static {
    long[] pattern = {16, 24, 32, 48, 64, 96, 128, 256, 512, 1024};
    long total = 0;
    for (int i = 0; i < ALLOCATIONS; i++) {
      SIZES[i] = i % 25 == 24 ? 4096 : pattern[i % pattern.length];
      total += SIZES[i];
    }
    BYTES = total;
  }

  private Request() {}

  /** Runs one request's allocations; returns the sum of what it read back. */
  static long run(SegmentAllocator allocator) {
    return run(allocator, null);
  }

  /** As {@link #run(SegmentAllocator)}, handing each segment to {@code bh} if not null. */
  static long run(SegmentAllocator allocator, Blackhole bh) {
    long sum = 0;
    for (int i = 0; i < ALLOCATIONS; i++) {
      MemorySegment s = allocator.allocate(SIZES[i], 8);
      s.set(JAVA_LONG, 0, i);
      sum += s.get(JAVA_LONG, 0);
      if (bh != null) {
        bh.consume(s);
      }
    }
    return sum;
  }

  /** What a request does with its {@code i}-th segment: writes a long, reads it back, hands it on. */
  static void touch(MemorySegment s, int i, Blackhole bh) {
    s.set(JAVA_LONG, 0, i);
    bh.consume(s.get(JAVA_LONG, 0));
    bh.consume(s);
  }

  /** As {@link #run}, zeroing each segment as an arena does: a slicing allocator's floor. */
  static long runZeroing(SegmentAllocator allocator, Blackhole bh) {
    return run((size, align) -> allocator.allocate(size, align).fill((byte) 0), bh);
  }
}
