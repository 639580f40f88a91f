package dev.arenaguard.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A native chunk: {@code size} bytes at {@code address}, held by one arena. */
final class Chunk {
  static final VarHandle TOP;

  static {
    try {
      TOP = MethodHandles.lookup().findVarHandle(Chunk.class, "top", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long address;
  final long size;

  /**
   * Bump offset, used only by a shared arena's base epoch (compare-and-set); confined regions keep
   * their bump pointer in a plain field of their own.
   */
  @SuppressWarnings("unused") // through TOP
  volatile long top;

  /** The arena's list of every chunk it holds, in use or free (guarded by its {@link ArenaMemory}). */
  Chunk previous;
  Chunk next;

  Chunk(long address, long size) {
    this.address = address;
    this.size = size;
  }

  /**
   * The offset in this chunk at which {@code size} bytes aligned to {@code align} start, if
   * allocated at offset {@code from}; or -1 if they do not fit.
   */
  long fit(long from, long size, long align) {
    long start = ((address + from + align - 1) & -align) - address;
    return start <= this.size - size ? start : -1;
  }
}
