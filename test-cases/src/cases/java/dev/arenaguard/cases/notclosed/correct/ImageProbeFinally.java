package dev.arenaguard.cases.notclosed.correct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** The image probe closes its scratch arena in a {@code finally}, so the early return closes it too. */
public final class ImageProbeFinally {
  static int width(byte[] file) {
    BumpArena scratch = BumpArena.ofConfined("image-probe");
    try {
      MemorySegment header = scratch.allocateFrom(JAVA_BYTE, Arrays.copyOf(file, 8));
      if (header.get(JAVA_BYTE, 0) != 'P' || header.get(JAVA_BYTE, 1) != '6') {
        return -1;
      }
      return header.get(JAVA_BYTE, 3) - '0';
    } finally {
      scratch.close();
    }
  }

  public static void main(String[] args) {
    if (width(new byte[] {'P', '6', ' ', '4', ' ', '4', '\n', 0}) != 4
        || width(new byte[] {'G', 'I', 'F', '8', '9', 'a', 0, 0}) != -1) {
      throw new AssertionError();
    }
  }
}
