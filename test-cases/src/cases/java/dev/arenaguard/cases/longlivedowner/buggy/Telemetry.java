package dev.arenaguard.cases.longlivedowner.buggy;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;

/**
 * An enum singleton collects metrics into an arena it holds for the life of the process; each
 * recorded sample allocates a label and a value in it, and nothing resets it.
 */
public enum Telemetry {
  INSTANCE;

  private final BumpArena samples = BumpArena.ofConfined("telemetry"); // BUG: ArenaLongLivedOwner
  private long recorded;

  void record(String metric, long value) {
    MemorySegment label = samples.allocateFrom(metric); // BUG: ArenaLongLivedOwner
    MemorySegment cell = samples.allocate(JAVA_LONG); // BUG: ArenaLongLivedOwner
    cell.set(JAVA_LONG, 0, value);
    recorded += label.byteSize() > 0 ? 1 : 0;
  }

  void shutdown() {
    samples.close();
  }

  public static void main(String[] args) {
    try {
      for (int i = 0; i < 1_000; i++) {
        INSTANCE.record("http.server.requests", i);
      }
      System.out.println(INSTANCE.recorded + " samples");
    } finally {
      INSTANCE.shutdown();
    }
  }
}
