// Built-in library model for java.nio: buffer views and fluent methods keep the buffer's scope.
package java.nio;

// A buffer's bookkeeping, not its memory: these work after the arena of a segment's buffer is
// closed (JDK 25); get/put, equals and hashCode read it and throw "Already closed".
abstract class Buffer {
  @NoAccess int capacity();
  @NoAccess int position();
  @NoAccess int limit();
  @NoAccess int remaining();
  @NoAccess boolean hasRemaining();
  @NoAccess boolean isReadOnly();
  @NoAccess boolean hasArray();
  @NoAccess boolean isDirect();
}

abstract class ByteBuffer {
  @NoAccess ByteOrder order();
  @NoAccess String toString();
  @Derives @NoAccess ByteBuffer order(ByteOrder bo);
  @Derives @NoAccess ByteBuffer slice();
  @Derives @NoAccess ByteBuffer slice(int index, int length);
  @Derives @NoAccess ByteBuffer duplicate();
  @Derives @NoAccess ByteBuffer asReadOnlyBuffer();
  @Derives @NoAccess CharBuffer asCharBuffer();
  @Derives @NoAccess ShortBuffer asShortBuffer();
  @Derives @NoAccess IntBuffer asIntBuffer();
  @Derives @NoAccess LongBuffer asLongBuffer();
  @Derives @NoAccess FloatBuffer asFloatBuffer();
  @Derives @NoAccess DoubleBuffer asDoubleBuffer();
  @Derives @NoAccess ByteBuffer flip();
  @Derives @NoAccess ByteBuffer clear();
  @Derives @NoAccess ByteBuffer rewind();
  @Derives @NoAccess ByteBuffer position(int newPosition);
  @Derives @NoAccess ByteBuffer limit(int newLimit);
  @Derives ByteBuffer put(byte b);
  @Derives ByteBuffer put(byte[] src);
  @Derives ByteBuffer putInt(int value);
  @Derives ByteBuffer putLong(long value);
}
