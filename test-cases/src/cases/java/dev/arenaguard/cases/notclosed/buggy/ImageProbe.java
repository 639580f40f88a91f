package dev.arenaguard.cases.notclosed.buggy;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An image probe returns early when the magic number does not match, before the close at the end
 * of the method.
 */
public final class ImageProbe {
  static int width(byte[] file) {
    BumpArena scratch = BumpArena.ofConfined("image-probe"); // BUG: ArenaNotClosed
    MemorySegment header = scratch.allocateFrom(JAVA_BYTE, Arrays.copyOf(file, 8));
    if (header.get(JAVA_BYTE, 0) != 'P' || header.get(JAVA_BYTE, 1) != '6') {
      return -1;
    }
    int width = header.get(JAVA_BYTE, 3) - '0';
    scratch.close();
    return width;
  }

  public static void main(String[] args) {
    System.out.println(width(new byte[] {'P', '6', ' ', '4', ' ', '4', '\n', 0}));
    System.out.println(width(new byte[] {'G', 'I', 'F', '8', '9', 'a', 0, 0}));
  }
}
