package dev.arenaguard.cases.escape.correct;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The library handle owns the arena the library is loaded into, keeps the function pointer in its
 * own field, and unloads the library when it is closed.
 */
final class LibraryOwner implements AutoCloseable {
  private final Arena arena = Arena.ofConfined();
  private final MemorySegment strlen;

  LibraryOwner() {
    strlen = SymbolLookup.libraryLookup("libc.so.6", arena).find("strlen").orElseThrow();
  }

  long length(String s) throws Throwable {
    MethodHandle handle =
        Linker.nativeLinker()
            .downcallHandle(strlen, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    try (Arena call = Arena.ofConfined()) {
      return (long) handle.invokeExact(call.allocateFrom(s));
    }
  }

  @Override
  public void close() {
    arena.close();
  }

  public static void main(String[] args) throws Throwable {
    try (LibraryOwner libc = new LibraryOwner()) {
      if (libc.length("hello") != 5) {
        throw new AssertionError();
      }
    }
  }
}
