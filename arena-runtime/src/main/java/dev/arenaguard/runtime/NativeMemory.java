package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Chunks come from the C library's {@code malloc} and go back with {@code free}. Why not a JDK
 * arena per chunk: a chunk must be returnable from any thread (a pooled confined arena moves
 * between threads; the leak detector frees on its own thread), which rules out a confined arena;
 * closing a shared arena per chunk costs a thread handshake; and {@code Arena.ofAuto()} frees
 * when the GC decides, not when the retention policy does. {@code malloc} is thread-agnostic,
 * costs tens of nanoseconds, and does not zero memory we zero per allocation anyway.
 */
final class NativeMemory {
  private NativeMemory() {}

  /** {@code malloc} returns memory aligned for any fundamental type: 16 bytes on 64-bit ABIs. */
  static final long MALLOC_ALIGNMENT = 16;

  private static final MethodHandle MALLOC;
  private static final MethodHandle FREE;

  static {
    Linker linker = Linker.nativeLinker();
    MALLOC =
        linker.downcallHandle(
            linker.defaultLookup().findOrThrow("malloc"), FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    FREE =
        linker.downcallHandle(
            linker.defaultLookup().findOrThrow("free"), FunctionDescriptor.ofVoid(ADDRESS));
  }

  /** Reserves {@code size} bytes; the address is aligned to {@link #MALLOC_ALIGNMENT}. */
  static long malloc(long size) {
    MemorySegment p;
    try {
      p = (MemorySegment) MALLOC.invokeExact(size);
    } catch (Throwable t) {
      throw new AssertionError("malloc downcall failed", t);
    }
    if (p.address() == 0) {
      throw new OutOfMemoryError(String.format("malloc(%,d) failed: the OS has no memory for it", size));
    }
    return p.address();
  }

  static void free(long address) {
    try {
      FREE.invokeExact(MemorySegment.ofAddress(address));
    } catch (Throwable t) {
      throw new AssertionError("free downcall failed", t);
    }
  }
}
