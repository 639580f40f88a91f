package dev.arenaguard.benchmarks;

import java.util.Arrays;

/**
 * Times of one variant's calls within an iteration of an interleaved benchmark, in nanoseconds;
 * read as percentiles through JMH's {@code @AuxCounters}. Percentiles, because on a machine that
 * other builds load, a call now and then waits milliseconds for a core, which a mean would count.
 */
final class Samples {
  private long[] times = new long[1 << 16];
  private int count;
  private long[] sorted;

  void add(long nanos) {
    if (count == times.length) {
      times = Arrays.copyOf(times, count * 2);
    }
    times[count++] = nanos;
    sorted = null;
  }

  void clear() {
    count = 0;
    sorted = null;
  }

  /** The {@code q}-th quantile (0 to 1) of the samples divided by {@code ops}; NaN if none. */
  double quantile(double q, int ops) {
    if (count == 0) {
      return Double.NaN;
    }
    if (sorted == null) {
      sorted = Arrays.copyOf(times, count);
      Arrays.sort(sorted);
    }
    int i = (int) Math.min(count - 1, Math.round(q * (count - 1)));
    return (double) sorted[i] / ops;
  }
}
