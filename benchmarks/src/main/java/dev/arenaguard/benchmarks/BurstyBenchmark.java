package dev.arenaguard.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Latency, not its mean, of a bursty workload: requests that alternate between small ({@value
 * #ALLOCATIONS} allocations of {@value #SMALL} bytes, 16 KiB) and very large ({@value #ALLOCATIONS}
 * of {@value #LARGE} bytes, 8 MiB), each request's memory released at its end. Every allocation and
 * every end of a request is timed on its own, and the report gives p50, p99, p99.9 and the maximum
 * of each: the tail shows what a few calls pay, where an allocator that defers its frees to the next
 * allocation puts them (after a large request, the small one's first allocation used to give the
 * surplus chunks back to the OS).
 *
 * <p>Three allocators, interleaved: each call makes one allocation with each in turn (ending a
 * request, timed apart, when its allocations are done), so that all three share every moment of
 * the machine's load. {@code arenaGuard}: one long-lived confined arena reset after each request,
 * with the defaults (256 KiB retained, the surplus back to the OS after a second unused). {@code
 * arenaGuardDecayNow}: the same with no decay time, so the background thread frees the large
 * request's chunks right after it ends and the next large request reserves them again. {@code jdk}:
 * a fresh {@code Arena.ofConfined()} per request, closed at its end. Each time includes two {@code
 * nanoTime} calls (about 25 ns).
 */
@State(Scope.Thread)
public class BurstyBenchmark extends RuntimeBenchmark {
  static final int ALLOCATIONS = 64;
  static final long SMALL = 256;
  static final long LARGE = 128 * 1024;
  static final String[] ALLOCATORS = {"arenaGuard", "arenaGuardDecayNow", "jdk"};

  private final Stream[] streams = new Stream[ALLOCATORS.length];
  private int turn;

  /** One allocator's requests: small and large in turn. */
  private static final class Stream {
    final BumpArena bump;
    Arena request;
    long size = LARGE;
    int made = ALLOCATIONS;

    Stream(BumpArena bump) {
      this.bump = bump;
    }

    /** Allocates the request's next segment, beginning a request if none is under way. */
    MemorySegment allocate() {
      if (made == ALLOCATIONS) {
        size = size == SMALL ? LARGE : SMALL;
        made = 0;
        request = bump != null ? bump : Arena.ofConfined();
      }
      MemorySegment s = request.allocate(size, 8);
      s.set(JAVA_LONG, 0, ++made);
      return s;
    }

    boolean requestDone() {
      return made == ALLOCATIONS;
    }

    void end() {
      if (bump != null) {
        bump.reset();
      } else {
        request.close();
      }
    }

    void close() {
      if (bump != null) {
        bump.close();
      } else if (request != null && request.scope().isAlive()) {
        request.close();
      }
    }
  }

  /** p50, p99, p99.9 and max of each allocator's allocations and request ends, in ns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times extends Variants {
    public Times() {
      super(2 * ALLOCATORS.length); // each allocator's allocations, then each one's request ends
    }

    Samples allocation(int allocator) {
      return samples[allocator];
    }

    Samples end(int allocator) {
      return samples[ALLOCATORS.length + allocator];
    }

    // Counters are named allocator_what_quantile; the report reads them by these names.

    public double arenaGuard_allocate_p50() {
      return allocation(0).quantile(0.5, 1);
    }

    public double arenaGuard_allocate_p99() {
      return allocation(0).quantile(0.99, 1);
    }

    public double arenaGuard_allocate_p999() {
      return allocation(0).quantile(0.999, 1);
    }

    public double arenaGuard_allocate_max() {
      return allocation(0).quantile(1, 1);
    }

    public double arenaGuard_end_p50() {
      return end(0).quantile(0.5, 1);
    }

    public double arenaGuard_end_p99() {
      return end(0).quantile(0.99, 1);
    }

    public double arenaGuard_end_p999() {
      return end(0).quantile(0.999, 1);
    }

    public double arenaGuard_end_max() {
      return end(0).quantile(1, 1);
    }

    public double arenaGuardDecayNow_allocate_p50() {
      return allocation(1).quantile(0.5, 1);
    }

    public double arenaGuardDecayNow_allocate_p99() {
      return allocation(1).quantile(0.99, 1);
    }

    public double arenaGuardDecayNow_allocate_p999() {
      return allocation(1).quantile(0.999, 1);
    }

    public double arenaGuardDecayNow_allocate_max() {
      return allocation(1).quantile(1, 1);
    }

    public double arenaGuardDecayNow_end_p50() {
      return end(1).quantile(0.5, 1);
    }

    public double arenaGuardDecayNow_end_p99() {
      return end(1).quantile(0.99, 1);
    }

    public double arenaGuardDecayNow_end_p999() {
      return end(1).quantile(0.999, 1);
    }

    public double arenaGuardDecayNow_end_max() {
      return end(1).quantile(1, 1);
    }

    public double jdk_allocate_p50() {
      return allocation(2).quantile(0.5, 1);
    }

    public double jdk_allocate_p99() {
      return allocation(2).quantile(0.99, 1);
    }

    public double jdk_allocate_p999() {
      return allocation(2).quantile(0.999, 1);
    }

    public double jdk_allocate_max() {
      return allocation(2).quantile(1, 1);
    }

    public double jdk_end_p50() {
      return end(2).quantile(0.5, 1);
    }

    public double jdk_end_p99() {
      return end(2).quantile(0.99, 1);
    }

    public double jdk_end_p999() {
      return end(2).quantile(0.999, 1);
    }

    public double jdk_end_max() {
      return end(2).quantile(1, 1);
    }
  }

  @Setup
  public void setup() {
    streams[0] = new Stream(BumpArena.builder("bursty").build());
    streams[1] = new Stream(BumpArena.builder("bursty-decay-now").surplusDecay(Duration.ZERO).build());
    streams[2] = new Stream(null);
  }

  @TearDown
  public void tearDown() {
    for (Stream s : streams) {
      s.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(3)
  public void inTurn(Times t, Blackhole bh) {
    int first = turn++ % streams.length;
    for (int k = 0; k < streams.length; k++) {
      int v = (first + k) % streams.length;
      Stream s = streams[v];
      long start = System.nanoTime();
      bh.consume(s.allocate());
      long allocated = System.nanoTime();
      t.allocation(v).add(allocated - start);
      if (s.requestDone()) {
        s.end();
        t.end(v).add(System.nanoTime() - allocated);
      }
    }
  }
}
