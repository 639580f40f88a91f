package dev.arenaguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import org.junit.jupiter.api.Test;

/** The suggested fixes of ArenaEscape, applied. */
class ArenaEscapeFixTest {
  private final BugCheckerRefactoringTestHelper helper =
      BugCheckerRefactoringTestHelper.newInstance(ArenaEscape.class, getClass());

  @Test
  void addArenaScopedToTheMethod() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment encode(String s, Arena arena) {
            return arena.allocateFrom(s);
          }
        }
        """, """
        import dev.arenaguard.annotations.ArenaScoped;
        import java.lang.foreign.*;
        class Test {
          @ArenaScoped MemorySegment encode(String s, Arena arena) {
            return arena.allocateFrom(s);
          }
        }
        """).doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void addOutlivesArenaToTheParameter() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        class Test {
          private MemorySegment kept;
          void keep(MemorySegment buf) {
            kept = buf;
          }
        }
        """, """
        import dev.arenaguard.annotations.OutlivesArena;
        import java.lang.foreign.*;
        class Test {
          private MemorySegment kept;
          void keep(@OutlivesArena MemorySegment buf) {
            kept = buf;
          }
        }
        """).doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void copyOutOfTheClosingArena() {
    Sources.refactor(helper, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment CACHE;
          static {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment table = a.allocate(64);
              CACHE = table;
            }
          }
        }
        """, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment CACHE;
          static {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment table = a.allocate(64);
              CACHE = Arena.ofAuto().allocate(table.byteSize(), 8).copyFrom(table);
            }
          }
        }
        """).doTest(TestMode.TEXT_MATCH);
  }
}
