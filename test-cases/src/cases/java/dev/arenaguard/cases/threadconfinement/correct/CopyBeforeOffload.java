package dev.arenaguard.cases.threadconfinement.correct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The log shipper copies the block out of its confined arena into a byte array and compresses the
 * copy asynchronously; no arena memory crosses threads.
 */
public final class CopyBeforeOffload {
  static int runLengths(byte[] block) {
    int runs = 0;
    byte previous = -1;
    for (byte b : block) {
      if (b != previous) {
        runs++;
        previous = b;
      }
    }
    return runs;
  }

  static int ship(ExecutorService compressors, String lines) {
    try (BumpArena arena = BumpArena.ofConfined("log-block")) {
      MemorySegment block = arena.allocateFrom(lines);
      byte[] copy = block.toArray(JAVA_BYTE);
      return CompletableFuture.supplyAsync(() -> runLengths(copy), compressors).join();
    }
  }

  public static void main(String[] args) {
    try (ExecutorService compressors = Executors.newSingleThreadExecutor()) {
      int runs = ship(compressors, "aaaaabbbbbbbcccc\nddddd\n");
      if (runs != 7) {
        throw new AssertionError(runs);
      }
    }
  }
}
