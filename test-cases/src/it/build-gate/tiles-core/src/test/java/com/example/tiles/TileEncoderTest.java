package com.example.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TileEncoderTest {
  @Test
  void keyLengthCountsTheCharacters() {
    assertEquals(5, TileEncoder.keyLength(3, 4, 5));
  }
}
