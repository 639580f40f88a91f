package dev.arenaguard.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The times an interleaved benchmark records: one {@link Samples} per variant (or per variant and
 * operation), emptied at each iteration. Subclasses are JMH {@code @AuxCounters} states whose
 * public methods read these samples' percentiles under the names the report looks for.
 */
abstract class Variants {
  final Samples[] samples;

  Variants(int count) {
    samples = new Samples[count];
    for (int i = 0; i < count; i++) {
      samples[i] = new Samples();
    }
  }

  @Setup(Level.Iteration)
  public void clear() {
    for (Samples s : samples) {
      s.clear();
    }
  }
}
