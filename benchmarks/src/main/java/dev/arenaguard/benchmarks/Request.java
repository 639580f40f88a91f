package dev.arenaguard.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The request every lifecycle and memory benchmark runs: {@value #ALLOCATIONS} allocations of
 * mixed sizes, from a 16-byte header to 4 KiB buffers (36,208 bytes in all), each touched — a long
 * written and read back.
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
    long sum = 0;
    for (int i = 0; i < ALLOCATIONS; i++) {
      MemorySegment s = allocator.allocate(SIZES[i], 8);
      s.set(JAVA_LONG, 0, i);
      sum += s.get(JAVA_LONG, 0);
    }
    return sum;
  }
}
