package com.example.logsearch;

import static java.nio.channels.FileChannel.MapMode.READ_ONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reads the on-disk index that maps terms to log offsets. */
final class IndexFile {
  private IndexFile() {}

  /** Correct: the mapping is read inside the arena's scope and only a number leaves it. */
  static int entryCount(Path index) throws IOException {
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(index)) {
      MemorySegment mapped = channel.map(READ_ONLY, 0, channel.size(), arena);
      return mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
    }
  }

  /** Bug: the mapping is read after the try-with-resources block closed its arena. */
  static String magic(Path index) throws IOException {
    MemorySegment mapped;
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(index)) {
      mapped = channel.map(READ_ONLY, 0, channel.size(), arena);
    }
    return mapped.getString(0);
  }

  /** Bug: an early return for an empty file leaves the arena open. */
  static long checksum(Path index) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(index)) {
      if (channel.size() == 0) {
        return 0;
      }
      MemorySegment mapped = channel.map(READ_ONLY, 0, channel.size(), arena);
      long sum = 0;
      for (long i = 0; i < mapped.byteSize(); i++) {
        sum += mapped.get(ValueLayout.JAVA_BYTE, i);
      }
      arena.close();
      return sum;
    }
  }
}
