package dev.arenaguard.cases.threadconfinement.buggy;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A log shipper fills a block in a confined runtime arena and compresses it asynchronously with
 * {@code CompletableFuture.supplyAsync}, joining before the arena closes.
 */
public final class AsyncCompressor {
  static int runLengths(MemorySegment block) {
    int runs = 0;
    byte previous = -1;
    for (long i = 0; i < block.byteSize(); i++) {
      byte b = block.get(JAVA_BYTE, i);
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
      CompletableFuture<Integer> compressed =
          CompletableFuture.supplyAsync(() -> runLengths(block), compressors); // BUG: ArenaThreadConfinement
      return compressed.join();
    }
  }

  public static void main(String[] args) {
    try (ExecutorService compressors = Executors.newSingleThreadExecutor()) {
      System.out.println(ship(compressors, "aaaaabbbbbbbcccc\nddddd\n") + " runs");
    }
  }
}
