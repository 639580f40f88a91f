package dev.arenaguard.cases.notclosed.buggy;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config loader closes its parse arena at the end of the method, but a malformed line throws
 * before the close, and the arena is left open on that path.
 */
public final class ConfigLoader {
  static Map<String, String> load(String text) {
    BumpArena arena = BumpArena.ofConfined("config-parse"); // BUG: ArenaNotClosed
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      MemorySegment raw = arena.allocateFrom(line);
      String s = raw.getString(0);
      int eq = s.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("malformed config line: " + s);
      }
      entries.put(s.substring(0, eq), s.substring(eq + 1));
    }
    arena.close();
    return entries;
  }

  public static void main(String[] args) {
    System.out.println(load("port=8080\nthreads=4"));
    try {
      load("port=8080\nthreads");
    } catch (IllegalArgumentException e) {
      System.out.println("rejected: " + e.getMessage());
    }
  }
}
