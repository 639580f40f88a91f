// Built-in library model for java.nio: buffer views and fluent methods keep the buffer's scope.
package java.nio;

abstract class ByteBuffer {
  @Derives ByteBuffer order(ByteOrder bo);
  @Derives ByteBuffer slice();
  @Derives ByteBuffer slice(int index, int length);
  @Derives ByteBuffer duplicate();
  @Derives ByteBuffer asReadOnlyBuffer();
  @Derives CharBuffer asCharBuffer();
  @Derives ShortBuffer asShortBuffer();
  @Derives IntBuffer asIntBuffer();
  @Derives LongBuffer asLongBuffer();
  @Derives FloatBuffer asFloatBuffer();
  @Derives DoubleBuffer asDoubleBuffer();
  @Derives ByteBuffer flip();
  @Derives ByteBuffer clear();
  @Derives ByteBuffer rewind();
  @Derives ByteBuffer position(int newPosition);
  @Derives ByteBuffer limit(int newLimit);
  @Derives ByteBuffer put(byte b);
  @Derives ByteBuffer put(byte[] src);
  @Derives ByteBuffer putInt(int value);
  @Derives ByteBuffer putLong(long value);
}
