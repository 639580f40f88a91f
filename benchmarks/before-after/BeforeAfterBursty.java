package dev.arenaguard.benchmarks;

import java.time.Duration;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link BurstyBenchmark}'s workload with the runtime of an earlier revision ({@code
 * before.arenaguard.runtime}, see {@code benchmarks/before-after.sh}) as a fourth allocator, all
 * interleaved: where did each one's frees land?
 */
@State(Scope.Thread)
@Measurement(iterations = 10, time = 1)
public class BeforeAfterBursty extends RuntimeBenchmark {
  static final int N = 4;

  /** Per allocator: allocations, the first one after each large request, and request ends. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times extends BurstyBenchmark.Latencies {
    public Times() {
      super(N);
    }

    public double before_allocate_p50() {
      return allocation(0).quantile(0.5, 1);
    }

    public double before_allocate_p99() {
      return allocation(0).quantile(0.99, 1);
    }

    public double before_allocate_p999() {
      return allocation(0).quantile(0.999, 1);
    }

    public double before_allocate_max() {
      return allocation(0).quantile(1, 1);
    }

    public double before_first_p50() {
      return first(0).quantile(0.5, 1);
    }

    public double before_first_max() {
      return first(0).quantile(1, 1);
    }

    public double before_end_p50() {
      return end(0).quantile(0.5, 1);
    }

    public double before_end_p99() {
      return end(0).quantile(0.99, 1);
    }

    public double before_end_p999() {
      return end(0).quantile(0.999, 1);
    }

    public double before_end_max() {
      return end(0).quantile(1, 1);
    }

    public double arenaGuard_allocate_p50() {
      return allocation(1).quantile(0.5, 1);
    }

    public double arenaGuard_allocate_p99() {
      return allocation(1).quantile(0.99, 1);
    }

    public double arenaGuard_allocate_p999() {
      return allocation(1).quantile(0.999, 1);
    }

    public double arenaGuard_allocate_max() {
      return allocation(1).quantile(1, 1);
    }

    public double arenaGuard_first_p50() {
      return first(1).quantile(0.5, 1);
    }

    public double arenaGuard_first_max() {
      return first(1).quantile(1, 1);
    }

    public double arenaGuard_end_p50() {
      return end(1).quantile(0.5, 1);
    }

    public double arenaGuard_end_p99() {
      return end(1).quantile(0.99, 1);
    }

    public double arenaGuard_end_p999() {
      return end(1).quantile(0.999, 1);
    }

    public double arenaGuard_end_max() {
      return end(1).quantile(1, 1);
    }

    public double arenaGuardDecayNow_allocate_p50() {
      return allocation(2).quantile(0.5, 1);
    }

    public double arenaGuardDecayNow_allocate_p99() {
      return allocation(2).quantile(0.99, 1);
    }

    public double arenaGuardDecayNow_allocate_p999() {
      return allocation(2).quantile(0.999, 1);
    }

    public double arenaGuardDecayNow_allocate_max() {
      return allocation(2).quantile(1, 1);
    }

    public double arenaGuardDecayNow_first_p50() {
      return first(2).quantile(0.5, 1);
    }

    public double arenaGuardDecayNow_first_max() {
      return first(2).quantile(1, 1);
    }

    public double arenaGuardDecayNow_end_p50() {
      return end(2).quantile(0.5, 1);
    }

    public double arenaGuardDecayNow_end_p99() {
      return end(2).quantile(0.99, 1);
    }

    public double arenaGuardDecayNow_end_p999() {
      return end(2).quantile(0.999, 1);
    }

    public double arenaGuardDecayNow_end_max() {
      return end(2).quantile(1, 1);
    }

    public double jdk_allocate_p50() {
      return allocation(3).quantile(0.5, 1);
    }

    public double jdk_allocate_p99() {
      return allocation(3).quantile(0.99, 1);
    }

    public double jdk_allocate_p999() {
      return allocation(3).quantile(0.999, 1);
    }

    public double jdk_allocate_max() {
      return allocation(3).quantile(1, 1);
    }

    public double jdk_first_p50() {
      return first(3).quantile(0.5, 1);
    }

    public double jdk_first_max() {
      return first(3).quantile(1, 1);
    }

    public double jdk_end_p50() {
      return end(3).quantile(0.5, 1);
    }

    public double jdk_end_p99() {
      return end(3).quantile(0.99, 1);
    }

    public double jdk_end_p999() {
      return end(3).quantile(0.999, 1);
    }

    public double jdk_end_max() {
      return end(3).quantile(1, 1);
    }
  }

  private final BurstyBenchmark.Stream[] streams = new BurstyBenchmark.Stream[N];
  private before.arenaguard.runtime.BumpArena old;
  private dev.arenaguard.runtime.BumpArena now;
  private dev.arenaguard.runtime.BumpArena nowDecayNow;
  private int turn;

  @Setup
  public void setup() {
    old = before.arenaguard.runtime.BumpArena.builder("before").build();
    now = dev.arenaguard.runtime.BumpArena.builder("after").build();
    nowDecayNow = dev.arenaguard.runtime.BumpArena.builder("after-now").surplusDecay(Duration.ZERO).build();
    streams[0] = new BurstyBenchmark.Stream(old, old::reset, old::close);
    streams[1] = new BurstyBenchmark.Stream(now);
    streams[2] = new BurstyBenchmark.Stream(nowDecayNow);
    streams[3] = new BurstyBenchmark.Stream();
  }

  @TearDown
  public void tearDown() {
    for (BurstyBenchmark.Stream s : streams) {
      s.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void inTurn(Times t, Blackhole bh) {
    BurstyBenchmark.inTurn(streams, turn++ % N, t, bh);
  }
}
