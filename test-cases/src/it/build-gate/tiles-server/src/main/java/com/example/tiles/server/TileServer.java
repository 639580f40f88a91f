package com.example.tiles.server;

import com.example.tiles.TileEncoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Serves map tiles to the native renderer, and remembers the keys it served. */
public final class TileServer {
  private static final Arena KEYS = Arena.ofShared();

  private final Map<String, MemorySegment> served = new HashMap<>();

  /** The length of a tile's key, from the server's long-lived key arena. */
  public long keyLength(int zoom, int x, int y) {
    MemorySegment key = TileEncoder.key(zoom, x, y, KEYS);
    return key.byteSize() - 1;
  }

  /** Serves a tile and remembers its key. */
  public void serve(int zoom, int x, int y) {
    try (Arena request = Arena.ofConfined()) {
      MemorySegment key = request.allocateFrom(zoom + "/" + x + "/" + y);
      served.put(zoom + "/" + x + "/" + y, key);
    }
  }

  /** The key served last for a tile, if any. */
  public @Nullable MemorySegment served(int zoom, int x, int y) {
    return served.get(zoom + "/" + x + "/" + y);
  }
}
