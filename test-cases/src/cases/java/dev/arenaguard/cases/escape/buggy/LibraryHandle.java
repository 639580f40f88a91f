package dev.arenaguard.cases.escape.buggy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * As in a documentation example, a loader opens the C library in a try-with-resources arena and
 * returns an object wrapping a function pointer found in it (SPEC §5); the library's arena is
 * closed by the time anyone calls through the handle.
 */
public final class LibraryHandle {
  record Strlen(MemorySegment function) {
    long apply(String s) throws Throwable {
      MethodHandle strlen =
          Linker.nativeLinker()
              .downcallHandle(function, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
      try (Arena call = Arena.ofConfined()) {
        return (long) strlen.invokeExact(call.allocateFrom(s));
      }
    }
  }

  static Strlen load() {
    try (Arena arena = Arena.ofConfined()) {
      SymbolLookup libc = SymbolLookup.libraryLookup("libc.so.6", arena);
      return new Strlen(libc.find("strlen").orElseThrow()); // BUG: ArenaEscape
    }
  }

  public static void main(String[] args) throws Throwable {
    System.out.println(load().apply("hello"));
  }
}
