package com.example.logsearch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Counts newlines of a large log block on a worker thread. */
final class ParallelScan {
  private ParallelScan() {}

  static long countLines(MemorySegment block) {
    long lines = 0;
    for (long i = 0; i < block.byteSize(); i++) {
      if (block.get(ValueLayout.JAVA_BYTE, i) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /** Correct: a shared arena, and the task is awaited before the arena closes. */
  static long linesShared(ExecutorService workers, String text) throws Exception {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment block = arena.allocateFrom(text);
      Future<Long> lines = workers.submit(() -> countLines(block));
      return lines.get();
    }
  }

  /** Bug: a confined arena's memory is handed to a worker thread. */
  static long linesConfined(ExecutorService workers, String text) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment block = arena.allocateFrom(text);
      Future<Long> lines = workers.submit(() -> countLines(block));
      return lines.get();
    }
  }
}
