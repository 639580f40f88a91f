package dev.arenaguard.cases.threadconfinement.correct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The request body goes into a shared arena, halves of it are checksummed by workers, and every
 * task is awaited ({@code invokeAll}) inside the arena's scope.
 */
public final class SharedChecksum {
  static long checksum(MemorySegment part) {
    long sum = 1;
    for (long i = 0; i < part.byteSize(); i++) {
      sum = (sum * 31 + part.get(JAVA_BYTE, i)) % 1_000_000_007L;
    }
    return sum;
  }

  static long handle(ExecutorService workers, byte[] payload) throws Exception {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment body = arena.allocateFrom(JAVA_BYTE, payload);
      long half = body.byteSize() / 2;
      List<Callable<Long>> tasks = new ArrayList<>();
      tasks.add(() -> checksum(body.asSlice(0, half)));
      tasks.add(() -> checksum(body.asSlice(half)));
      long sum = 0;
      for (Future<Long> f : workers.invokeAll(tasks)) {
        sum += f.get();
      }
      return sum;
    }
  }

  public static void main(String[] args) throws Exception {
    try (ExecutorService workers = Executors.newFixedThreadPool(2)) {
      if (handle(workers, "POST /orders {\"id\": 7}".getBytes(StandardCharsets.UTF_8)) <= 0) {
        throw new AssertionError();
      }
    }
  }
}
