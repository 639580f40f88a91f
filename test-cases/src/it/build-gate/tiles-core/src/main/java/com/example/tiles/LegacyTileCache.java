package com.example.tiles;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The old cache, kept until the renderer migrates; its escape is known and suppressed. */
public final class LegacyTileCache {
  private static MemorySegment last = MemorySegment.NULL;

  @SuppressWarnings("ArenaEscape") // the renderer reads `last` only while the arena is open
  public static void remember(int zoom, int x, int y, Arena arena) {
    last = arena.allocate(8);
  }

  public static long lastSize() {
    return last.byteSize();
  }
}
