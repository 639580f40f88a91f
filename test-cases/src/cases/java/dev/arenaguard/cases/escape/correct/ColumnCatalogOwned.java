package dev.arenaguard.cases.escape.correct;

import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The encoder declares that its result is memory of the caller's arena ({@code @ArenaScoped}),
 * and the catalog encodes the names it caches into an arena it owns and closes (and says so on
 * the method that returns them).
 */
final class ColumnCatalogOwned implements AutoCloseable {

  static final class Utf8 {
    private Utf8() {}

    @ArenaScoped
    static MemorySegment encode(String s, Arena arena) {
      MemorySegment bytes = arena.allocateFrom(s);
      return bytes;
    }
  }

  private final BumpArena names = BumpArena.ofConfined("catalog");
  private final Map<String, MemorySegment> encodedNames = new HashMap<>();

  @ArenaScoped
  MemorySegment encodedName(String column) {
    MemorySegment name = encodedNames.get(column);
    if (name == null) {
      name = Utf8.encode(column, names);
      encodedNames.put(column, name);
    }
    return name;
  }

  @Override
  public void close() {
    names.close();
  }

  public static void main(String[] args) {
    try (ColumnCatalogOwned catalog = new ColumnCatalogOwned()) {
      for (int request = 0; request < 2; request++) {
        try (Arena arena = Arena.ofConfined()) {
          MemorySegment key = Utf8.encode("customer_id=" + request, arena);
          if (!key.getString(0).startsWith(catalog.encodedName("customer_id").getString(0))) {
            throw new AssertionError();
          }
        }
      }
    }
  }
}
