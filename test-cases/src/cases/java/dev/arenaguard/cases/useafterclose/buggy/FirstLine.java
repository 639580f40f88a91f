package dev.arenaguard.cases.useafterclose.buggy;

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
 * A config reader maps a file in a try-with-resources arena, assigns the mapping to a variable
 * declared outside the block, and reads it after the block has closed the arena.
 */
public final class FirstLine {
  static String firstLine(Path file) throws IOException {
    MemorySegment mapped;
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      mapped = channel.map(READ_ONLY, 0, channel.size(), arena);
    }
    String text = mapped.getString(0); // BUG: ArenaUseAfterClose
    return text.lines().findFirst().orElse("");
  }

  public static void main(String[] args) throws IOException {
    Path file = Files.createTempFile("server", ".conf");
    try {
      Files.write(file, "port=8080\nthreads=4\n\0".getBytes(StandardCharsets.US_ASCII));
      System.out.println(firstLine(file));
    } finally {
      Files.delete(file);
    }
  }
}
