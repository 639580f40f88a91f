package dev.arenaguard.cases.useafterclose.correct;

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
 * The config reader reads the mapped file inside the try-with-resources block, and returns a
 * Java string.
 */
public final class FirstLineInScope {
  static String firstLine(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment mapped = channel.map(READ_ONLY, 0, channel.size(), arena);
      return mapped.getString(0).lines().findFirst().orElse("");
    }
  }

  public static void main(String[] args) throws IOException {
    Path file = Files.createTempFile("server", ".conf");
    try {
      Files.write(file, "port=8080\nthreads=4\n\0".getBytes(StandardCharsets.US_ASCII));
      if (!firstLine(file).equals("port=8080")) {
        throw new AssertionError(firstLine(file));
      }
    } finally {
      Files.delete(file);
    }
  }
}
