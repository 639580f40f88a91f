package dev.arenaguard.cases.useafterclose.correct;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The row decoder copies the last key out of the row's phase as a Java string, and reads only
 * the copy after the loop.
 */
public final class LastKeyCopied {
  public static void main(String[] args) {
    List<String> rows = List.of("k1=alpha", "k2=beta", "k3=gamma");
    try (BumpArena arena = BumpArena.ofConfined("decoder")) {
      String lastKey = "";
      for (String row : rows) {
        try (Phase tuple = arena.phase()) {
          MemorySegment key = arena.allocateFrom(row.substring(0, row.indexOf('=')));
          lastKey = key.getString(0);
        }
      }
      if (!lastKey.equals("k3")) {
        throw new AssertionError(lastKey);
      }
    }
  }
}
