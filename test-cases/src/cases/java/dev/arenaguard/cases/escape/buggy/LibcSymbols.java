package dev.arenaguard.cases.escape.buggy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A static initialiser looks up {@code strlen} through a library lookup whose arena it closes
 * (SPEC §5). The symbol belongs to that arena, so the first call through it fails.
 */
public final class LibcSymbols {
  static final MemorySegment STRLEN;

  static {
    try (Arena arena = Arena.ofConfined()) {
      SymbolLookup libc = SymbolLookup.libraryLookup("libc.so.6", arena);
      STRLEN = libc.find("strlen").orElseThrow(); // BUG: ArenaEscape
    }
  }

  private static final FunctionDescriptor SIZE_T_OF_POINTER =
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);

  static long length(String s) throws Throwable {
    MethodHandle strlen = Linker.nativeLinker().downcallHandle(STRLEN, SIZE_T_OF_POINTER);
    try (Arena call = Arena.ofConfined()) {
      return (long) strlen.invokeExact(call.allocateFrom(s));
    }
  }

  public static void main(String[] args) throws Throwable {
    System.out.println("strlen(\"arena-guard\") = " + length("arena-guard"));
  }
}
