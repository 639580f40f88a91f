package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Shapes of FFM code found in libraries nobody wrote for these tests (docs/real-world.md), in
 * minimal form: each false positive or miss the real-world run found stays fixed.
 */
class RealWorldPatternsTest {
  private final CompilationTestHelper escape =
      CompilationTestHelper.newInstance(ArenaEscape.class, getClass());
  private final BugCheckerRefactoringTestHelper escapeFix =
      BugCheckerRefactoringTestHelper.newInstance(ArenaEscape.class, getClass());

  /**
   * DataSketches' {@code Direct*Sketch}es, jline's struct wrappers, JDK's {@code SlicingAllocator}:
   * a constructor keeps the segment it is given, because its object is a view of it. The fix
   * offered first says so ({@code @ArenaScoped} on the class); {@code @OutlivesArena} on the
   * parameter remains the alternative for an object that must outlive every arena.
   */
  @Test
  void constructorKeepingItsSegmentSuggestsAnArenaScopedView() {
    test(escape, """
        import java.lang.foreign.*;
        final class Test {
          private final MemorySegment seg;
          Test(MemorySegment seg) {
            // BUG: Diagnostic contains: If 'Test' is a view of the caller's memory, declare the class @ArenaScoped
            this.seg = seg;
          }
          private MemorySegment last;
          void keep(MemorySegment seg) {
            // BUG: Diagnostic contains: Declare the parameter @OutlivesArena if the method keeps it
            this.last = seg;
          }
        }
        """).doTest();
    Sources.refactor(escapeFix, """
        import java.lang.foreign.*;
        final class Test {
          private final MemorySegment seg;
          Test(MemorySegment seg) {
            this.seg = seg;
          }
        }
        """, """
        import dev.arenaguard.annotations.ArenaScoped;
        import java.lang.foreign.*;
        @ArenaScoped final class Test {
          private final MemorySegment seg;
          Test(MemorySegment seg) {
            this.seg = seg;
          }
        }
        """).doTest(TestMode.TEXT_MATCH);
  }

  /**
   * jvector's {@code MemorySegmentReader.Supplier}: a constructor maps a file into the arena it
   * keeps in a field, and closes that arena only when it fails and rethrows. A closed arena means
   * no object, so its fields keep nothing.
   */
  @Test
  void constructorClosingItsArenaOnlyWhenItFailsKeepsItsMemory() {
    test(escape, """
        import java.io.IOException;
        import java.lang.foreign.*;
        import java.nio.channels.FileChannel;
        import java.nio.file.Path;
        final class Test implements AutoCloseable {
          private final Arena arena;
          private final MemorySegment memory;
          Test(Path path) throws IOException {
            this.arena = Arena.ofShared();
            try (var ch = FileChannel.open(path)) {
              this.memory = ch.map(FileChannel.MapMode.READ_ONLY, 0L, ch.size(), arena);
              check(memory);
            } catch (Throwable e) {
              arena.close();
              if (e instanceof IOException io) {
                throw io;
              }
              throw new RuntimeException(e);
            }
          }
          Test(long size) {
            Arena local = Arena.ofShared();
            try {
              this.arena = local;
              this.memory = local.allocate(size);
              check(memory);
            } catch (RuntimeException e) {
              local.close();
              throw e;
            }
          }
          static void check(MemorySegment m) {}
          @Override public void close() { arena.close(); }
        }
        """).doTest();
  }

  /** The same constructor is still an escape when it closes the arena on a path that completes. */
  @Test
  void constructorClosingItsArenaOnAPathThatCompletesLeavesItsFieldDangling() {
    test(escape, """
        import java.lang.foreign.*;
        final class Test {
          private final MemorySegment memory;
          private MemorySegment other;
          Test(long size, boolean quick) {
            Arena local = Arena.ofShared();
            // BUG: Diagnostic contains: 'local' is closed at line 10
            this.memory = local.allocate(size);
            if (quick) {
              local.close();
              return;
            }
            try {
              check(memory);
            } catch (RuntimeException e) {
              local.close();
              throw e;
            }
          }
          void reopen(long size) {
            Arena local = Arena.ofShared();
            try {
              // BUG: Diagnostic contains: 'local' is closed at line 27
              this.other = local.allocate(size);
              check(other);
            } catch (RuntimeException e) {
              local.close();
              throw e;
            }
          }
          static void check(MemorySegment m) {}
        }
        """).doTest();
  }

  /**
   * DataSketches' {@code MemorySegmentRequestExample}: an arena per request, kept in a map field
   * of the object (which closes it on release). Its memory is the object's own, and returning it
   * needs {@code @ArenaScoped} like memory of an arena field does.
   */
  @Test
  void arenaKeptInAContainerFieldIsTheObjectsOwn() {
    test(escape, """
        import java.lang.foreign.*;
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        import dev.arenaguard.annotations.ArenaScoped;
        final class Test {
          private final Map<MemorySegment, Arena> arenas = new ConcurrentHashMap<>();
          private MemorySegment last;
          MemorySegment request(long size) {
            Arena arena = Arena.ofConfined();
            MemorySegment seg = arena.allocate(size);
            arenas.put(seg, arena);
            last = seg;
            // BUG: Diagnostic contains: is returned from 'request', which is not declared @ArenaScoped
            return seg;
          }
          @ArenaScoped MemorySegment scopedRequest(long size) {
            Arena arena = Arena.ofConfined();
            MemorySegment seg = arena.allocate(size);
            this.arenas.put(seg, arena);
            return seg;
          }
          void release(MemorySegment seg) {
            Arena arena = arenas.remove(seg);
            if (arena != null) {
              arena.close();
            }
          }
        }
        """).doTest();
  }
}
