package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Why a shared arena's phases are per-thread and confined: the cost of ending an epoch holding
 * one 16-byte segment, with a confined scope and with a shared one.
 *
 * <p>Closing a shared JDK scope is a thread handshake: the VM visits every Java thread to make sure
 * none is inside an access to the scope. Its cost grows with the number of threads in the process,
 * so {@code parkedThreads} adds idle (parked) platform threads, as a server has.
 */
@State(Scope.Thread)
public class ScopeCloseBenchmark extends RuntimeBenchmark {
  @Param({"0", "200"})
  public int parkedThreads;

  private final List<Thread> parked = new ArrayList<>();
  private volatile boolean done;
  private BumpArena confined;
  private BumpArena shared;

  @Setup
  public void setup() {
    for (int i = 0; i < parkedThreads; i++) {
      Thread t =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!done) {
                      LockSupport.park();
                    }
                  });
      parked.add(t);
    }
    confined = BumpArena.ofConfined("confined");
    shared = BumpArena.ofShared("shared");
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    done = true;
    for (Thread t : parked) {
      LockSupport.unpark(t);
      t.join();
    }
    confined.close();
    shared.close();
  }

  @Benchmark
  public MemorySegment jdkConfinedOpenClose() {
    try (Arena arena = Arena.ofConfined()) {
      return arena.allocate(16, 8);
    }
  }

  @Benchmark
  public MemorySegment jdkSharedOpenClose() {
    try (Arena arena = Arena.ofShared()) {
      return arena.allocate(16, 8);
    }
  }

  @Benchmark
  public MemorySegment confinedPhase() {
    try (Phase phase = confined.phase()) {
      return confined.allocate(16, 8);
    }
  }

  /** What a shared arena's phase costs: the calling thread's own chunks and confined scope. */
  @Benchmark
  public MemorySegment sharedPhase() {
    try (Phase phase = shared.phase()) {
      return shared.allocate(16, 8);
    }
  }

  @Benchmark
  public MemorySegment confinedReset() {
    MemorySegment s = confined.allocate(16, 8);
    confined.reset();
    return s;
  }

  /** What every shared phase would cost if phases were epochs of the shared base scope. */
  @Benchmark
  public MemorySegment sharedReset() {
    MemorySegment s = shared.allocate(16, 8);
    shared.reset();
    return s;
  }
}
