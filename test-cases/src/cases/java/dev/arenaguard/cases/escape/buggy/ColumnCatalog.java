package dev.arenaguard.cases.escape.buggy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * An encoder returns memory of the caller's arena without declaring it ({@code @ArenaScoped}
 * missing), so a catalog caches the result across requests as if it lived for ever.
 */
public final class ColumnCatalog {

  static final class Utf8 {
    private Utf8() {}

    static MemorySegment encode(String s, Arena arena) {
      MemorySegment bytes = arena.allocateFrom(s);
      return bytes; // BUG: ArenaEscape
    }
  }

  private final Map<String, MemorySegment> encodedNames = new HashMap<>();

  MemorySegment encodedName(String column, Arena requestArena) {
    MemorySegment name = encodedNames.get(column);
    if (name == null) {
      name = Utf8.encode(column, requestArena);
      encodedNames.put(column, name);
    }
    return name;
  }

  public static void main(String[] args) {
    ColumnCatalog catalog = new ColumnCatalog();
    for (int request = 0; request < 2; request++) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment name = catalog.encodedName("customer_id", arena);
        System.out.println("request " + request + ": " + name.getString(0));
      }
    }
  }
}
