package dev.arenaguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import org.junit.jupiter.api.Test;

/** The suggested fix of ArenaUseAfterClose: the close moves after the last use, where that is safe. */
class ArenaUseAfterCloseFixTest {
  private final BugCheckerRefactoringTestHelper helper =
      BugCheckerRefactoringTestHelper.newInstance(ArenaUseAfterClose.class, getClass());

  @Test
  void closeMovesAfterTheLastUse() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            MemorySegment header = seg.asSlice(0, 4);
            a.close();
            int first = header.get(JAVA_INT, 0);
            int second = seg.get(JAVA_INT, 4);
            return first + second;
          }
        }
        """, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            MemorySegment header = seg.asSlice(0, 4);
            int first = header.get(JAVA_INT, 0);
            int second = seg.get(JAVA_INT, 4);
            a.close();
            return first + second;
          }
        }
        """).doTest(TestMode.AST_MATCH);
  }

  @Test
  void resetMovesAfterTheUse() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_LONG;
        class Test {
          long f(BumpArena arena) {
            MemorySegment old = arena.allocate(8);
            arena.reset();
            long v = old.get(JAVA_LONG, 0);
            return v;
          }
        }
        """, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_LONG;
        class Test {
          long f(BumpArena arena) {
            MemorySegment old = arena.allocate(8);
            long v = old.get(JAVA_LONG, 0);
            arena.reset();
            return v;
          }
        }
        """).doTest(TestMode.AST_MATCH);
  }

  @Test
  void noFixWhenMovingTheCloseIsNotSafe() {
    helper
        .addInputLines(
            "Test.java",
            """
            import java.lang.foreign.*;
            import static java.lang.foreign.ValueLayout.JAVA_INT;
            class Test {
              int returnsInBetween(boolean b) {
                Arena a = Arena.ofConfined();
                MemorySegment seg = a.allocate(8);
                a.close();
                if (b) {
                  return 0;
                }
                return seg.get(JAVA_INT, 0);
              }
              int allocatesInBetween(Arena other) {
                Arena a = Arena.ofConfined();
                MemorySegment seg = a.allocate(8);
                a.close();
                MemorySegment fresh = other.allocate(8);
                return seg.get(JAVA_INT, 0) + fresh.get(JAVA_INT, 0);
              }
              int afterTryWithResources() {
                MemorySegment kept;
                try (Arena a = Arena.ofConfined()) {
                  kept = a.allocate(8);
                }
                return kept.get(JAVA_INT, 0);
              }
            }
            """
                .split("\n", -1))
        .expectUnchanged()
        .doTest();
  }
}
