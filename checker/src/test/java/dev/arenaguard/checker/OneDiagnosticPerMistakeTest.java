package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import dev.arenaguard.checker.core.ArenaTypes;
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
          MemorySegment zeroedAndReturned() {
            MemorySegment seg;
            try (Arena a = Arena.ofConfined()) {
              seg = a.allocate(8);
            }
            // fill accesses the freed memory, and returns it: the escape is the mistake.
            // BUG: Diagnostic contains: [ArenaEscape]
            return seg.fill((byte) 0);
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

  private final CompilationTestHelper allSix = Sources.allSixChecks(getClass());

  /**
   * SPEC §2.0.9: both annotations on one element is ArenaAnnotationMisuse's one report. The other
   * checks hold code to neither ({@link ArenaTypes#enforcedArenaScoped}): what either annotation
   * allows stays allowed, and what only one of them forbids is not reported again. What is wrong
   * whatever the annotations say still is (memory of an arena the method closes, returned).
   */
  @Test
  void contradictoryAnnotationsAreOneMistake() {
    test(allSix, """
        import dev.arenaguard.annotations.*;
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static MemorySegment cache;
          final List<MemorySegment> kept = new ArrayList<>();
          // The test-cases program ConflictingContract: true if @ArenaScoped.
          // BUG: Diagnostic contains: [ArenaAnnotationMisuse]
          @ArenaScoped @OutlivesArena
          static MemorySegment lineBuffer(Arena arena) {
            return arena.allocate(128);
          }
          // Keeping its result: true if @OutlivesArena.
          static void keep(Arena arena) {
            cache = lineBuffer(arena);
          }
          // BUG: Diagnostic contains: [ArenaAnnotationMisuse]
          @ArenaScoped @OutlivesArena
          static MemorySegment closesItsArena() {
            try (Arena a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: [ArenaEscape]
              return a.allocate(8);
            }
          }
          // Keeping a parameter: true if @OutlivesArena; passing arena memory: true if @ArenaScoped.
          // BUG: Diagnostic contains: [ArenaAnnotationMisuse]
          void keepParameter(@ArenaScoped @OutlivesArena MemorySegment s) {
            kept.add(s);
          }
          void pass() {
            try (Arena a = Arena.ofConfined()) {
              keepParameter(a.allocate(8));
            }
          }
          // Storing memory of the caller's arena: true if @ArenaScoped; returning it: true if @OutlivesArena.
          // BUG: Diagnostic contains: [ArenaAnnotationMisuse]
          @ArenaScoped @OutlivesArena MemorySegment last;
          void store(Arena arena) {
            last = arena.allocate(8);
          }
          MemorySegment last() {
            return last;
          }
          // A class: a long-lived owner if @OutlivesArena; its instances arena-backed if @ArenaScoped.
          // BUG: Diagnostic contains: [ArenaAnnotationMisuse]
          @ArenaScoped @OutlivesArena
          static final class Table implements AutoCloseable {
            private final Arena arena = Arena.ofShared();
            @ArenaScoped MemorySegment row() { return arena.allocate(8); }
            public void close() { arena.close(); }
          }
          static Table table;
          static void tables() {
            table = new Table();
          }
        }
        """).doTest();
  }
}
