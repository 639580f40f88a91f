package dev.arenaguard.cases.useafterclose.buggy;

import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A row decoder frees each row's memory with a per-row {@code phase()}, but keeps the last
 * decoded key in an outer variable and prints it after the loop.
 */
public final class LastKeyReport {
  static void validate(MemorySegment key) {
    if (key.byteSize() < 2) {
      throw new IllegalArgumentException("empty key");
    }
  }

  public static void main(String[] args) {
    List<String> rows = List.of("k1=alpha", "k2=beta", "k3=gamma");
    try (BumpArena arena = BumpArena.ofConfined("decoder")) {
      MemorySegment lastKey = MemorySegment.NULL;
      for (String row : rows) {
        try (Phase tuple = arena.phase()) {
          lastKey = arena.allocateFrom(row.substring(0, row.indexOf('=')));
          validate(lastKey);
        }
      }
      System.out.println("last key: " + lastKey.getString(0)); // BUG: ArenaUseAfterClose
    }
  }
}
