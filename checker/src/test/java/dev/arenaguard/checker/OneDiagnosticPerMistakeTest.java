package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.junit.jupiter.api.Test;

/**
 * SPEC §2.0.1 across ArenaEscape, ArenaUseAfterClose and ArenaNotClosed run together: freed memory
 * kept past the close is the escape at its sink; freed memory accessed is the use after close;
 * an arena left open is reported once, at its creation.
 */
class OneDiagnosticPerMistakeTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(
          ScannerSupplier.fromBugCheckerClasses(ArenaEscape.class, ArenaUseAfterClose.class, ArenaNotClosed.class),
          getClass());

  @Test
  void eachMistakeHasOneCheck() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          static MemorySegment cache;
          final List<MemorySegment> kept = new ArrayList<>();
          MemorySegment returned() {
            MemorySegment seg;
            try (Arena a = Arena.ofConfined()) {
              seg = a.allocate(8);
            }
            // BUG: Diagnostic contains: [ArenaEscape]
            return seg;
          }
          void stored() {
            MemorySegment seg;
            try (Arena a = Arena.ofConfined()) {
              seg = a.allocate(8);
            }
            // BUG: Diagnostic contains: [ArenaEscape]
            cache = seg;
            // BUG: Diagnostic contains: [ArenaEscape]
            kept.add(seg.asSlice(0, 4));
          }
          int accessed() {
            MemorySegment seg;
            try (Arena a = Arena.ofConfined()) {
              seg = a.allocate(8);
            }
            // BUG: Diagnostic contains: [ArenaUseAfterClose]
            return seg.get(JAVA_INT, 0);
          }
          int leakedAndUsedAfterClose() {
            // BUG: Diagnostic contains: [ArenaNotClosed]
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            // BUG: Diagnostic contains: [ArenaUseAfterClose]
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }
}
