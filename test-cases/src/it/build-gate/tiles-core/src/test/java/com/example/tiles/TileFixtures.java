package com.example.tiles;

import java.lang.foreign.Arena;

/** Test fixtures; compiled by test-compile, which writes its own run into the SARIF log. */
final class TileFixtures {
  private TileFixtures() {}

  static long sampleKeyLength() {
    Arena arena = Arena.ofConfined();
    return TileEncoder.key(3, 4, 5, arena).byteSize();
  }
}
