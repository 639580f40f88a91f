package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Values through switch expressions, {@code Stream.map} and {@code Optional.map}, and containers
 * whose element type cannot hold memory, as ArenaEscape and ArenaUseAfterClose see them.
 */
class SwitchAndStreamValuesTest {
  private final CompilationTestHelper escape = CompilationTestHelper.newInstance(ArenaEscape.class, getClass());
  private final CompilationTestHelper useAfterClose =
      CompilationTestHelper.newInstance(ArenaUseAfterClose.class, getClass());

  @Test
  void switchExpressionCarriesTheMemoryOfEveryCase() {
    test(escape, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment last;
          void f(int kind, MemorySegment given) {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment chosen = switch (kind) {
                case 0 -> a.allocate(8);
                case 1 -> Arena.ofAuto().allocate(8);
                default -> Arena.global().allocate(8);
              };
              // BUG: Diagnostic contains: (memory of arena 'a')
              last = chosen;
            }
          }
        }
        """).doTest();
  }

  @Test
  void switchExpressionUsedAfterTheClose() {
    test(useAfterClose, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f(boolean big) {
            MemorySegment seg;
            try (Arena a = Arena.ofConfined()) {
              seg = switch (big ? 1 : 0) {
                case 1 -> a.allocate(64);
                default -> a.allocate(8);
              };
            }
            // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is used after 'a' is closed
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void streamMapReturningSlicesIsBacked() {
    test(escape, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static List<MemorySegment> headers;
          static List<byte[]> copies;
          static List<Long> sizes;
          void f(List<MemorySegment> unused) {
            try (Arena a = Arena.ofConfined()) {
              List<MemorySegment> segs = List.of(a.allocate(64), a.allocate(64));
              // BUG: Diagnostic contains: (memory of arena 'a')
              headers = segs.stream().toList();
              // BUG: Diagnostic contains: (memory of arena 'a')
              headers = segs.stream().map(s -> s).toList();
              // BUG: Diagnostic contains: (memory of arena 'a')
              headers = segs.stream().map(s -> s.asSlice(0, 16)).toList();
              copies = segs.stream().map(s -> s.toArray(ValueLayout.JAVA_BYTE)).toList();
              sizes = segs.stream().map(MemorySegment::byteSize).toList();
            }
          }
        }
        """).doTest();
  }

  @Test
  void mapperAllocatingFromAClosingArenaIsBacked() {
    test(escape, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static Optional<MemorySegment> cached;
          void f(Optional<String> name) {
            try (Arena a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: (memory of arena 'a')
              cached = name.map(n -> a.allocateFrom(n));
            }
          }
        }
        """).doTest();
  }

  @Test
  void containersOfValuesThatCannotHoldMemoryAreNotBacked() {
    test(escape, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static Map<String, Integer> counts = new HashMap<>();
          static Integer first;
          void f() {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              List<Integer> values = new ArrayList<>();
              values.add(seg.get(ValueLayout.JAVA_INT, 0));
              first = values.get(0);
              counts.put("x", values.get(0));
            }
          }
        }
        """).doTest();
  }
}
