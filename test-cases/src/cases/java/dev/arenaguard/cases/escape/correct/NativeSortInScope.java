package dev.arenaguard.cases.escape.correct;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * The C library's {@code qsort} is called with a comparator upcall stub that lives in the same
 * confined arena as the data, for the duration of the call.
 */
public final class NativeSortInScope {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle QSORT =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("qsort").orElseThrow(),
          FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
  private static final FunctionDescriptor COMPARATOR =
      FunctionDescriptor.of(JAVA_INT, ADDRESS.withTargetLayout(JAVA_INT), ADDRESS.withTargetLayout(JAVA_INT));

  static int ascending(MemorySegment a, MemorySegment b) {
    return Integer.compare(a.get(JAVA_INT, 0), b.get(JAVA_INT, 0));
  }

  static int[] sort(int... values) throws Throwable {
    MethodHandle ascending =
        MethodHandles.lookup()
            .findStatic(
                NativeSortInScope.class,
                "ascending",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment comparator = LINKER.upcallStub(ascending, COMPARATOR, arena);
      MemorySegment ints = arena.allocateFrom(JAVA_INT, values);
      QSORT.invokeExact(ints, (long) values.length, (long) Integer.BYTES, comparator);
      return ints.toArray(JAVA_INT);
    }
  }

  public static void main(String[] args) throws Throwable {
    int[] sorted = sort(42, 7, 19, 3);
    if (!Arrays.equals(sorted, new int[] {3, 7, 19, 42})) {
      throw new AssertionError(Arrays.toString(sorted));
    }
  }
}
