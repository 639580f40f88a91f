package dev.arenaguard.cases.escape.buggy;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * A comparator upcall stub for the C library's {@code qsort} is created in a confined arena and
 * registered with a sorter that keeps it ({@code @OutlivesArena}) for later sorts; the stub dies
 * with the arena, so the next native sort is handed a dead function pointer.
 */
public final class NativeSorter {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle QSORT =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("qsort").orElseThrow(),
          FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
  private static final FunctionDescriptor COMPARATOR =
      FunctionDescriptor.of(JAVA_INT, ADDRESS.withTargetLayout(JAVA_INT), ADDRESS.withTargetLayout(JAVA_INT));

  private MemorySegment comparator = MemorySegment.NULL;

  /** The sorter keeps the stub and hands it to every later {@code qsort}. */
  void useComparator(@OutlivesArena MemorySegment comparatorStub) {
    this.comparator = comparatorStub;
  }

  void sort(MemorySegment ints) throws Throwable {
    QSORT.invokeExact(ints, ints.byteSize() / Integer.BYTES, (long) Integer.BYTES, comparator);
  }

  static int ascending(MemorySegment a, MemorySegment b) {
    return Integer.compare(a.get(JAVA_INT, 0), b.get(JAVA_INT, 0));
  }

  public static void main(String[] args) throws Throwable {
    MethodHandle ascending =
        MethodHandles.lookup()
            .findStatic(
                NativeSorter.class, "ascending", MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
    NativeSorter sorter = new NativeSorter();
    try (Arena setup = Arena.ofConfined()) {
      MemorySegment stub = LINKER.upcallStub(ascending, COMPARATOR, setup);
      sorter.useComparator(stub); // BUG: ArenaEscape
    }
    try (Arena data = Arena.ofConfined()) {
      MemorySegment ints = data.allocateFrom(JAVA_INT, 42, 7, 19, 3);
      sorter.sort(ints);
      System.out.println(Arrays.toString(ints.toArray(JAVA_INT)));
    }
  }
}
