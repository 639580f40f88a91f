package dev.arenaguard.cases.escape.correct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A packet parser returns a slice of the packet segment it was given (a borrowed parameter, as
 * Rust's lifetime elision allows), and the caller uses it inside the arena's scope.
 */
public final class PacketPayload {
  static final long HEADER = 2;

  static MemorySegment payload(MemorySegment packet) {
    short length = packet.get(JAVA_SHORT_UNALIGNED, 0);
    return packet.asSlice(HEADER, length);
  }

  public static void main(String[] args) {
    byte[] body = "GET /index".getBytes(StandardCharsets.US_ASCII);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment packet = arena.allocate(HEADER + body.length);
      packet.set(JAVA_SHORT_UNALIGNED, 0, (short) body.length);
      MemorySegment.copy(body, 0, packet, JAVA_BYTE, HEADER, body.length);
      String request = new String(payload(packet).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
      if (!request.equals("GET /index")) {
        throw new AssertionError(request);
      }
    }
  }
}
