package dev.arenaguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import org.junit.jupiter.api.Test;

/** The suggested fix of ArenaNotClosed: try-with-resources, where the shape allows it. */
class ArenaNotClosedFixTest {
  private final BugCheckerRefactoringTestHelper helper =
      BugCheckerRefactoringTestHelper.newInstance(ArenaNotClosed.class, getClass());

  @Test
  void plainCloseBecomesTryWithResources() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          void f(MemorySegment out) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            MemorySegment.copy(seg, 0, out, 0, 8);
            a.close();
            System.out.println(out.get(JAVA_INT, 0));
          }
        }
        """, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          void f(MemorySegment out) {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              MemorySegment.copy(seg, 0, out, 0, 8);
            }
            System.out.println(out.get(JAVA_INT, 0));
          }
        }
        """).doTest(TestMode.AST_MATCH);
  }

  @Test
  void localsUsedAfterTheCloseAreDeclaredBeforeTheTry() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            var a = Arena.ofShared();
            var seg = a.allocate(8);
            int v = seg.get(JAVA_INT, 0);
            a.close();
            return v;
          }
        }
        """, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            int v;
            try (var a = Arena.ofShared()) {
              var seg = a.allocate(8);
              v = seg.get(JAVA_INT, 0);
            }
            return v;
          }
        }
        """).doTest(TestMode.AST_MATCH);
  }

  @Test
  void neverClosedLivesToTheEndOfItsBlock() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          void f(ArenaPool pool) {
            BumpArena lease = pool.acquire();
            lease.allocate(64);
            work(lease);
          }
          void work(BumpArena arena) {}
        }
        """, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          void f(ArenaPool pool) {
            try (BumpArena lease = pool.acquire()) {
              lease.allocate(64);
              work(lease);
            }
          }
          void work(BumpArena arena) {}
        }
        """).doTest(TestMode.AST_MATCH);
  }

  @Test
  void noFixWhenTheArenaIsHandedOnOrClosedElsewhere() {
    helper
        .addInputLines(
            "Test.java",
            """
            import java.lang.foreign.*;
            class Test {
              record Holder(Arena arena) {}
              Holder f(boolean keep) {
                Arena a = Arena.ofConfined();
                a.allocate(8);
                if (keep) {
                  return new Holder(a);
                }
                a.close();
                return null;
              }
              void g(boolean early) {
                Arena a = Arena.ofConfined();
                if (early) {
                  a.close();
                  return;
                }
                a.allocate(8);
                a.close();
              }
              record Mapped(Arena arena) implements AutoCloseable {
                static Mapped of(Arena arena) { return new Mapped(arena); }
                public void close() { arena.close(); }
              }
              long h() {
                // Owned by the result, which is never closed: closing the arena where the
                // result may still be used is no fix.
                Arena a = Arena.ofConfined();
                Mapped m = Mapped.of(a);
                return m.arena().allocate(8).byteSize();
              }
            }
            """
                .split("\n", -1))
        .expectUnchanged()
        .doTest();
  }
}
