package dev.arenaguard.cases.threadconfinement.buggy;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A request handler copies the request body into a confined arena and offloads its checksum to a
 * worker pool, waiting for the result; the worker may not touch a confined arena's memory.
 */
public final class ChecksumOffload {
  static long checksum(MemorySegment body) {
    long sum = 1;
    for (long i = 0; i < body.byteSize(); i++) {
      sum = (sum * 31 + body.get(JAVA_BYTE, i)) % 1_000_000_007L;
    }
    return sum;
  }

  static long handle(ExecutorService workers, byte[] payload) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment body = arena.allocateFrom(JAVA_BYTE, payload);
      Future<Long> sum = workers.submit(() -> checksum(body)); // BUG: ArenaThreadConfinement
      return sum.get();
    }
  }

  public static void main(String[] args) throws Exception {
    try (ExecutorService workers = Executors.newFixedThreadPool(2)) {
      System.out.println(handle(workers, "POST /orders {\"id\": 7}".getBytes(StandardCharsets.UTF_8)));
    }
  }
}
