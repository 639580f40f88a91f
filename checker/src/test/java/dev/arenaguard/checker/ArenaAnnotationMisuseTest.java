package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** SPEC §2.6 and §2.0.8–2.0.9. */
class ArenaAnnotationMisuseTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaAnnotationMisuse.class, getClass());

  @Test
  void bothOnOneElement() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.*;
        // BUG: Diagnostic contains: @ArenaScoped and @OutlivesArena on the same class
        @ArenaScoped @OutlivesArena
        class Test {
          // BUG: Diagnostic contains: same field
          @ArenaScoped @OutlivesArena MemorySegment field;
          // BUG: Diagnostic contains: same method
          @ArenaScoped @OutlivesArena MemorySegment m(
              // BUG: Diagnostic contains: same parameter
              @ArenaScoped @OutlivesArena MemorySegment p) { return p; }
        }
        """).doTest();
  }

  @Test
  void arenaScopedWhereNothingIsScoped() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.*;
        class Test {
          // BUG: Diagnostic contains: static field 'CACHE': a static outlives every arena
          @ArenaScoped static MemorySegment CACHE;
          // BUG: Diagnostic contains: field 'size' of primitive type long
          @ArenaScoped long size;
          // BUG: Diagnostic contains: a method returning long
          @ArenaScoped long length(MemorySegment s) { return s.byteSize(); }
          // BUG: Diagnostic contains: a method returning void
          @ArenaScoped void nothing() {}
          // BUG: Diagnostic contains: parameter 'n' of primitive type int
          void f(@ArenaScoped int n) {}
          // BUG: Diagnostic contains: on an enum
          @ArenaScoped enum Mode { A }
        }
        """).doTest();
  }

  @Test
  void outlivesArenaOnALocal() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.*;
        class Test {
          void f() {
            // BUG: Diagnostic contains: @OutlivesArena on local variable 'seg'
            @OutlivesArena MemorySegment seg = Arena.global().allocate(8);
          }
        }
        """).doTest();
  }

  @Test
  void correctPlacementsAreSilent() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.*;
        @ArenaScoped record View(MemorySegment seg) {}
        @OutlivesArena
        class Test {
          @ArenaScoped MemorySegment field;
          @OutlivesArena static MemorySegment GLOBAL;
          @ArenaScoped MemorySegment m(@ArenaScoped MemorySegment p, Arena a) { return a.allocate(8); }
          @OutlivesArena MemorySegment g() { return Arena.global().allocate(8); }
          void keep(@OutlivesArena MemorySegment s) {}
          void local() { @ArenaScoped MemorySegment seg = Arena.global().allocate(8); }
        }
        """).doTest();
  }

  @Test
  void overridesMayNotWeakenTheParentsContract() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.*;
        interface Source {
          MemorySegment next();
          @ArenaScoped MemorySegment peek(Arena a);
          void accept(MemorySegment s);
          void keep(@OutlivesArena MemorySegment s);
        }
        class Test implements Source {
          // BUG: Diagnostic contains: overrides Source.next, whose result is not arena-scoped
          @ArenaScoped public MemorySegment next() { return null; }
          // A stronger promise than the parent's is fine.
          public MemorySegment peek(Arena a) { return Arena.global().allocate(8); }
          // BUG: Diagnostic contains: Source.accept only borrows it
          public void accept(@OutlivesArena MemorySegment s) {}
          public void keep(MemorySegment s) {}
        }
        class Allocator implements SegmentAllocator {
          // The model of SegmentAllocator.allocate says its result is arena-scoped.
          @ArenaScoped public MemorySegment allocate(long size, long alignment) { return null; }
        }
        """).doTest();
  }

  @Test
  void annotationsReadFromClassFilesOfLibraries() {
    // The parent is compiled separately: its CLASS-retention annotations come from its class file.
    CompilationTestHelper.newInstance(ArenaAnnotationMisuse.class, getClass())
        .addSourceLines("Test.java", """
            import java.lang.foreign.*;
            import dev.arenaguard.annotations.*;
            class Test extends dev.arenaguard.checker.testdata.CompiledParent {
              @ArenaScoped @Override public MemorySegment scoped(Arena a) { return a.allocate(8); }
              // BUG: Diagnostic contains: CompiledParent.plain, whose result is not arena-scoped
              @ArenaScoped @Override public MemorySegment plain(Arena a) { return a.allocate(8); }
              @Override public void keep(@OutlivesArena MemorySegment s) {}
            }
            """.split("\\n"))
        .doTest();
  }

  @Test
  void fixRemovesTheAnnotation() {
    Sources.refactor(
            BugCheckerRefactoringTestHelper.newInstance(ArenaAnnotationMisuse.class, getClass()),
            """
            import java.lang.foreign.*;
            import dev.arenaguard.annotations.ArenaScoped;
            class Test {
              @ArenaScoped static MemorySegment CACHE;
            }
            """,
            """
            import java.lang.foreign.*;
            import dev.arenaguard.annotations.ArenaScoped;
            class Test {
              static MemorySegment CACHE;
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }
}
