package dev.arenaguard.cases.escape.correct;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A library used for the life of the program is loaded into the global arena by a static
 * initialiser, so its symbols and the downcall handle built on them stay valid.
 */
public final class LibcSymbolsGlobal {
  static final MemorySegment STRLEN =
      SymbolLookup.libraryLookup("libc.so.6", Arena.global()).find("strlen").orElseThrow();

  private static final MethodHandle STRLEN_HANDLE =
      Linker.nativeLinker()
          .downcallHandle(STRLEN, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

  static long length(String s) throws Throwable {
    try (Arena call = Arena.ofConfined()) {
      return (long) STRLEN_HANDLE.invokeExact(call.allocateFrom(s));
    }
  }

  public static void main(String[] args) throws Throwable {
    if (length("arena-guard") != 11) {
      throw new AssertionError("strlen");
    }
  }
}
