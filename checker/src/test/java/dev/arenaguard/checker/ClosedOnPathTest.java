package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * The core's path-sensitive "closed in method": memory of an arena the method closes has that
 * scope only on paths through the close (before or after the sink), as ArenaEscape sees it.
 */
class ClosedOnPathTest {
  private final CompilationTestHelper helper = CompilationTestHelper.newInstance(ArenaEscape.class, getClass());

  @Test
  void closedOnTheFailurePathHandedToAnOwnerOnSuccess() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          record Session(Arena arena, MemorySegment buffer) {}
          Session open() {
            Arena a = Arena.ofShared();
            try {
              MemorySegment buffer = a.allocate(64);
              return new Session(a, buffer);
            } catch (RuntimeException e) {
              a.close();
              throw e;
            }
          }
        }
        """).doTest();
  }

  @Test
  void closedOnAnotherBranchOnly() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment last;
          MemorySegment f(boolean fail) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            if (fail) {
              a.close();
              return null;
            }
            return seg;
          }
        }
        """).doTest();
  }

  @Test
  void closedInAFinallyAfterTheReturn() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment f() {
            Arena a = Arena.ofConfined();
            try {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: 'a' is closed at line 10
              return seg;
            } finally {
              a.close();
            }
          }
        }
        """).doTest();
  }

  @Test
  void storedBeforeALaterClose() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          private MemorySegment last;
          void f(boolean done) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            // BUG: Diagnostic contains: 'a' is closed at line 9
            this.last = seg;
            if (done) a.close();
          }
        }
        """).doTest();
  }

  @Test
  void returnedAfterAResetOfAFieldArena() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import dev.arenaguard.annotations.ArenaScoped;
        class Test implements AutoCloseable {
          private final BumpArena arena = BumpArena.ofConfined("work");
          @ArenaScoped MemorySegment fresh() {
            arena.reset();
            return arena.allocate(8);
          }
          @ArenaScoped MemorySegment stale() {
            MemorySegment old = arena.allocate(8);
            arena.reset();
            // BUG: Diagnostic contains: 'arena' is reset at line 12
            return old;
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }
}
