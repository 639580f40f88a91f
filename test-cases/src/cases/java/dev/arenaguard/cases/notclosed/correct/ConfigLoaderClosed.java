package dev.arenaguard.cases.notclosed.correct;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The config loader opens its parse arena with try-with-resources, so a malformed line closes it
 * too.
 */
public final class ConfigLoaderClosed {
  static Map<String, String> load(String text) {
    try (BumpArena arena = BumpArena.ofConfined("config-parse")) {
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
      return entries;
    }
  }

  public static void main(String[] args) {
    if (load("port=8080\nthreads=4").size() != 2) {
      throw new AssertionError();
    }
    try {
      load("port=8080\nthreads");
      throw new AssertionError("accepted a malformed line");
    } catch (IllegalArgumentException expected) {
      // rejected, and the arena is closed
    }
  }
}
