package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import dev.arenaguard.runtime.WatchdogPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of ending an epoch — {@code reset()}, or closing a {@code phase()} — after {@code
 * allocations} allocations of 16 bytes.
 *
 * <p>Method: an invocation-level setup makes the allocations (and opens the phase), and only the
 * reset or phase close is timed, each invocation on its own ({@link Mode#SampleTime}); the report
 * uses the median, because a million allocations of setup make garbage, and a GC safepoint that
 * falls into a timed reset now and then would dominate a mean. Timing each invocation adds the
 * cost of two {@code System.nanoTime()} calls to each sample: {@link #timerOverhead} measures
 * exactly that with an empty body, and the ratios in {@code docs/PERFORMANCE.md} are given both
 * raw and with it subtracted. The alternative — timing allocate-N-and-reset and subtracting
 * allocate-N — subtracts two numbers of 20 ms to find one of 100 ns, far below their error.
 *
 * <p>{@code retain}: {@code default} keeps 256 KiB of chunks and returns the rest to the OS (so a
 * reset after a million allocations, 16 MB, makes about 240 calls to {@code free}); {@code all}
 * keeps every chunk, the steady state of an arena reused for requests of the same size.
 */
@BenchmarkMode(Mode.SampleTime)
public class ResetBenchmark extends RuntimeBenchmark {

  /** An arena of the {@code retain} policy, without the watchdog (a million allocations would trip it). */
  static BumpArena.Builder builder(String name, String retain) {
    return BumpArena.builder(name)
        .watchdog(WatchdogPolicy.OFF)
        .retainOnReset(retain.equals("all") ? Long.MAX_VALUE : BumpArena.Builder.DEFAULT_RETAIN_ON_RESET);
  }

  /** {@code allocations} allocations of 16 bytes. */
  static void fill(BumpArena arena, int allocations) {
    for (int i = 0; i < allocations; i++) {
      arena.allocate(16, 8);
    }
  }

  @State(Scope.Thread)
  public static class Filled {
    @Param({"10", "1000", "1000000"})
    public int allocations;

    @Param({"confined", "shared"})
    public String kind;

    @Param({"default", "all"})
    public String retain;

    BumpArena arena;
    Phase phase;

    @Setup(Level.Trial)
    public void create() {
      BumpArena.Builder b = builder("reset-" + kind, retain);
      arena = kind.equals("shared") ? b.shared().build() : b.confined().build();
    }

    void fill() {
      ResetBenchmark.fill(arena, allocations);
    }

    @TearDown(Level.Trial)
    public void close() {
      arena.close();
    }
  }

  /** Fills the base epoch before each invocation. */
  @State(Scope.Thread)
  public static class FilledBase extends Filled {
    @Setup(Level.Invocation)
    public void allocate() {
      fill();
    }
  }

  /** Opens a phase and fills it before each invocation. */
  @State(Scope.Thread)
  public static class FilledPhase extends Filled {
    @Setup(Level.Invocation)
    public void allocate() {
      phase = arena.phase();
      fill();
    }
  }

  /**
   * A confined arena's base epoch filled as in {@link FilledBase}, then every cache line of a
   * 64 MiB array written, so that the reset runs with cold caches whatever {@code allocations} is:
   * it tells the cost of the reset's work from the cost of the cache misses a million allocations
   * (16 MB of segments, 40 MB of segment objects) leave behind them.
   */
  @State(Scope.Thread)
  public static class ColdBase {
    @Param({"10", "1000", "1000000"})
    public int allocations;

    @Param({"default", "all"})
    public String retain;

    BumpArena arena;
    private final long[] evict = new long[8 << 20];

    @Setup(Level.Trial)
    public void create() {
      arena = builder("reset-cold", retain).build();
    }

    @Setup(Level.Invocation)
    public void allocateThenEvict() {
      fill(arena, allocations);
      for (int i = 0; i < evict.length; i += 8) { // one write per 64-byte line
        evict[i]++;
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      arena.close();
    }
  }

  @State(Scope.Thread)
  public static class Nothing {
    int counter;

    @Setup(Level.Invocation)
    public void touch() {
      counter++;
    }
  }

  @Benchmark
  public void reset(FilledBase s) {
    s.arena.reset();
  }

  @Benchmark
  public void phaseClose(FilledPhase s) {
    s.phase.close();
  }

  /** A confined reset with cold caches (see {@link ColdBase}). */
  @Benchmark
  public void resetCold(ColdBase s) {
    s.arena.reset();
  }

  /** What JMH's per-invocation timestamps add to every score above. */
  @Benchmark
  public int timerOverhead(Nothing s) {
    return s.counter;
  }
}
