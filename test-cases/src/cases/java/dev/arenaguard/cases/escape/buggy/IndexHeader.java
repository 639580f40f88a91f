package dev.arenaguard.cases.escape.buggy;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.nio.channels.FileChannel.MapMode.READ_ONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an index file's header by mapping the file into an arena the method closes, and returns
 * a slice of the mapping (SPEC §5: a slice of memory that belongs to a closed arena).
 */
public final class IndexHeader {
  static final long HEADER_SIZE = 8;

  static MemorySegment header(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment mapped = channel.map(READ_ONLY, 0, channel.size(), arena);
      return mapped.asSlice(0, HEADER_SIZE); // BUG: ArenaEscape
    }
  }

  public static void main(String[] args) throws IOException {
    Path file = Files.createTempFile("segments", ".idx");
    try {
      Files.write(file, "IDX1\0\0\0\3postings...".getBytes(StandardCharsets.US_ASCII));
      MemorySegment header = header(file);
      System.out.println("index format version " + Integer.reverseBytes(header.get(JAVA_INT_UNALIGNED, 4)));
    } finally {
      Files.delete(file);
    }
  }
}
