package com.example.tiles;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Encodes map tile keys for the native renderer. */
public final class TileEncoder {
  private TileEncoder() {}

  public static MemorySegment key(int zoom, int x, int y, Arena arena) {
    MemorySegment key = arena.allocateFrom(zoom + "/" + x + "/" + y);
    return key;
  }

  public static long keyLength(int zoom, int x, int y) {
    try (Arena arena = Arena.ofConfined()) {
      return key(zoom, x, y, arena).byteSize() - 1;
    }
  }
}
