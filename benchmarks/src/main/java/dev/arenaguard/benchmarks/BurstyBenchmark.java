package dev.arenaguard.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
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
 * of each: the tail shows what a few calls pay. The first allocation of each small request is also
 * counted apart: that is where an allocator that defers its frees to the next allocation puts
 * them (arena-guard did, giving the large request's surplus chunks back to the OS there), one
 * allocation in 128, below p99.
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

  /**
   * One allocator's requests, small and large in turn: a long-lived arena reset at each request's
   * end ({@code reused}, {@code reset}), or, where {@code reused} is null, a JDK arena per request.
   */
  static final class Stream {
    final SegmentAllocator reused;
    final Runnable reset;
    final Runnable close;
    Arena request;
    long size = LARGE;
    int made = ALLOCATIONS;

    Stream(SegmentAllocator reused, Runnable reset, Runnable close) {
      this.reused = reused;
      this.reset = reset;
      this.close = close;
    }

    /** A JDK arena per request. */
    Stream() {
      this(null, null, null);
    }

    Stream(BumpArena arena) {
      this(arena, arena::reset, arena::close);
    }

    /** Allocates the request's next segment, beginning a request if none is under way. */
    MemorySegment allocate() {
      if (requestDone()) {
        size = size == SMALL ? LARGE : SMALL;
        made = 0;
        if (reused == null) {
          request = Arena.ofConfined();
        }
      }
      MemorySegment s = (reused != null ? reused : request).allocate(size, 8);
      s.set(JAVA_LONG, 0, ++made);
      return s;
    }

    boolean requestDone() {
      return made == ALLOCATIONS;
    }

    void end() {
      if (reused != null) {
        reset.run();
      } else {
        request.close();
      }
    }

    void close() {
      if (reused != null) {
        close.run();
      } else if (request != null && request.scope().isAlive()) {
        request.close();
      }
    }
  }

  /**
   * Per allocator: the times of its allocations, of the first allocation after each large request
   * (where deferred frees of the large one land), and of its request ends.
   */
  abstract static class Latencies extends Variants {
    private final int allocators;

    Latencies(int allocators) {
      super(3 * allocators);
      this.allocators = allocators;
    }

    Samples allocation(int allocator) {
      return samples[allocator];
    }

    Samples first(int allocator) {
      return samples[allocators + allocator];
    }

    Samples end(int allocator) {
      return samples[2 * allocators + allocator];
    }
  }

  /** Each stream in turn, from {@code first}: one allocation each, and a request's end when due. */
  static void inTurn(Stream[] streams, int first, Latencies t, Blackhole bh) {
    for (int k = 0; k < streams.length; k++) {
      int v = (first + k) % streams.length;
      Stream s = streams[v];
      boolean firstAfterLarge = s.requestDone() && s.size == LARGE;
      long start = System.nanoTime();
      bh.consume(s.allocate());
      long allocated = System.nanoTime();
      t.allocation(v).add(allocated - start);
      if (firstAfterLarge) {
        t.first(v).add(allocated - start);
      }
      if (s.requestDone()) {
        s.end();
        t.end(v).add(System.nanoTime() - allocated);
      }
    }
  }

  /** p50, p99, p99.9 and max of each allocator's allocations and request ends, in ns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times extends Latencies {
    public Times() {
      super(ALLOCATORS.length);
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

    public double arenaGuard_first_p50() {
      return first(0).quantile(0.5, 1);
    }

    public double arenaGuard_first_max() {
      return first(0).quantile(1, 1);
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

    public double arenaGuardDecayNow_first_p50() {
      return first(1).quantile(0.5, 1);
    }

    public double arenaGuardDecayNow_first_max() {
      return first(1).quantile(1, 1);
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

    public double jdk_first_p50() {
      return first(2).quantile(0.5, 1);
    }

    public double jdk_first_max() {
      return first(2).quantile(1, 1);
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
    streams[2] = new Stream();
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
    inTurn(streams, turn++ % streams.length, t, bh);
  }
}
