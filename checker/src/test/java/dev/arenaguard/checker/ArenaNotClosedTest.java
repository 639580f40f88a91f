package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** SPEC §2.5: closeable arenas left open on some path, and arena fields their class never closes. */
class ArenaNotClosedTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaNotClosed.class, getClass());

  // ---------------------------------------------------------------- flagged: local arenas

  @Test
  void neverClosed() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            // BUG: Diagnostic contains: Arena 'a' (Arena.ofConfined()) is never closed, returned, or handed to an owner; its native memory stays allocated until the process exits
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void plainCloseAfterCodeThatCanThrow() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f() {
            // BUG: Diagnostic contains: is not closed on every path: it stays open if the call at line 6 (a.allocate(8)) throws
            Arena a = Arena.ofShared();
            a.allocate(8);
            a.close();
          }
        }
        """).doTest();
  }

  @Test
  void aLongThrowingCallIsQuotedCut() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static void decode(MemorySegment segment, long offset, long length, boolean strict) {}
          void f(long offset, long length, boolean strictDecoding) {
            // BUG: Diagnostic contains: it stays open if the call at line 7 (decode(a.allocate(offset + length), offset, length, stric...) throws
            Arena a = Arena.ofShared();
            decode(a.allocate(offset + length), offset, length, strictDecoding);
            a.close();
          }
        }
        """).doTest();
  }

  @Test
  void earlyReturnBeforeTheClose() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          int f(boolean skip) {
            // BUG: Diagnostic contains: it stays open when the method returns at line 7
            Arena a = Arena.ofConfined();
            if (skip) {
              return 0;
            }
            try {
              a.allocate(8);
            } finally {
              a.close();
            }
            return 1;
          }
        }
        """).doTest();
  }

  @Test
  void throwBeforeTheClose() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f(long size) {
            // BUG: Diagnostic contains: if the throw at line 7
            Arena a = Arena.ofConfined();
            if (size < 0) {
              throw new IllegalArgumentException("size");
            }
            a.close();
          }
        }
        """).doTest();
  }

  @Test
  void runtimeArenasBuildersChildrenAndPoolLeases() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          void f(ArenaPool pool, BumpArena parent) {
            // BUG: Diagnostic contains: Arena 'bump' (BumpArena.ofConfined("x")) is never closed, returned, or handed to an owner; it keeps its memory until the garbage collector
            BumpArena bump = BumpArena.ofConfined("x");
            // BUG: Diagnostic contains: Arena 'built' (BumpArena.builder("y").shared().build()) is never closed
            BumpArena built = BumpArena.builder("y").shared().build();
            BumpArena child = parent.newChild("c"); // closed with its parent (SPEC 3.3)
            // BUG: Diagnostic contains: the lease never returns to its pool
            BumpArena lease = pool.acquire();
            bump.allocate(1);
            built.allocate(1);
            child.allocate(1);
            lease.allocate(1);
          }
        }
        """).doTest();
  }

  @Test
  void eitherOfTwoCreationsIsOneDiagnostic() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f(boolean shared) {
            // BUG: Diagnostic contains: Arena 'a' (Arena.ofShared()) is never closed
            Arena a = shared ? Arena.ofShared() : Arena.ofConfined();
            a.allocate(8);
          }
        }
        """).doTest();
  }

  @Test
  void arenaCreatedAndUsedWithoutAVariable() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment leaked;
          void f() {
            // BUG: Diagnostic contains: The arena created here (Arena.ofShared()) is never closed
            Arena.ofShared().allocate(8);
          }
        }
        """).doTest();
  }

  @Test
  void loopCreatingAnArenaPerIterationWithoutClosingIt() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f(int n) {
            for (int i = 0; i < n; i++) {
              // BUG: Diagnostic contains: Arena 'a'
              Arena a = Arena.ofConfined();
              a.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void returnedOnOnePathLeakedOnTheOther() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          Arena f(boolean keep) {
            // BUG: Diagnostic contains: is not closed on every path: it stays open when the method returns at line 9
            Arena a = Arena.ofConfined();
            if (keep) {
              return a;
            }
            return null;
          }
        }
        """).doTest();
  }

  @Test
  void extraArenaTypesFromConfiguration() {
    helper
        .setArgs("-XepOpt:ArenaGuard:ExtraArenaTypes=com.example.Scratch")
        .addSourceLines(
            "com/example/Scratch.java",
            "package com.example;",
            "public class Scratch implements AutoCloseable {",
            "  public static Scratch ofConfined() { return new Scratch(); }",
            "  @Override public void close() {}",
            "}")
        .addSourceLines(
            "Test.java",
            "import com.example.Scratch;",
            "class Test {",
            "  void f() {",
            "    // BUG: Diagnostic contains: Arena 's' (Scratch.ofConfined()) is never closed",
            "    Scratch s = Scratch.ofConfined();",
            "    // BUG: Diagnostic contains: Arena 't' (new Scratch()) is never closed",
            "    Scratch t = new Scratch();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void insideALambdaAndAnInitializer() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static final Arena SHARED;
          static {
            // BUG: Diagnostic contains: Arena 'scratch' (Arena.ofConfined()) is never closed
            Arena scratch = Arena.ofConfined();
            scratch.allocate(8);
            SHARED = Arena.ofShared();
          }
          Future<?> f(ExecutorService executor) {
            return executor.submit(() -> {
              // BUG: Diagnostic contains: Arena 'a' (Arena.ofConfined()) is never closed
              Arena a = Arena.ofConfined();
              a.allocate(8);
            });
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: fields

  @Test
  void arenaFieldTheClassNeverCloses() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          // BUG: Diagnostic contains: Arena field 'arena' holds an arena this class creates (Arena.ofShared()), and the class never closes it
          private final Arena arena = Arena.ofShared();
          MemorySegment buffer() {
            return arena.allocate(64);
          }
        }
        """).doTest();
  }

  @Test
  void arenaFieldAssignedInTheConstructorNeverClosed() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          // BUG: Diagnostic contains: Arena field 'arena' holds an arena this class creates
          private final BumpArena arena;
          Test(String name) {
            BumpArena created = BumpArena.ofConfined(name);
            this.arena = created;
          }
          void work() {
            arena.reset();
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- not flagged

  @Test
  void tryWithResourcesAndFinally() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          void f(ArenaPool pool) {
            try (Arena a = Arena.ofConfined(); BumpArena lease = pool.acquire()) {
              a.allocate(8);
              lease.allocate(8);
            }
            Arena b = Arena.ofShared();
            try {
              b.allocate(8);
            } finally {
              b.close();
            }
            Arena c = Arena.ofConfined();
            try (c) {
              c.allocate(8);
            }
          }
          void nullableInFinally() {
            Arena a = null;
            try {
              a = Arena.ofConfined();
              a.allocate(8);
            } finally {
              if (a != null) {
                a.close();
              }
            }
          }
          void closeWithNoCodeBetween() {
            Arena a = Arena.ofConfined();
            int unused = 1;
            a.close();
          }
        }
        """).doTest();
  }

  @Test
  void earlyReturnsWhenTheArenaIsClosedOnEveryPath() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          int f(boolean skip) {
            if (skip) {
              return 0;
            }
            try (Arena a = Arena.ofConfined()) {
              if (a.allocate(8).byteSize() > 4) {
                return 1;
              }
              return 2;
            }
          }
        }
        """).doTest();
  }

  @Test
  void returnedOrHandedToAnOwningConstructor() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          record Session(Arena arena, MemorySegment buffer) implements AutoCloseable {
            public void close() { arena.close(); }
          }
          static Arena scratch() {
            return Arena.ofConfined();
          }
          static Arena named() {
            Arena a = Arena.ofShared();
            return a;
          }
          static Session open() {
            Arena a = Arena.ofConfined();
            try {
              return new Session(a, a.allocate(64));
            } catch (RuntimeException e) {
              a.close();
              throw e;
            }
          }
          static Session direct() {
            return new Session(Arena.ofConfined(), null);
          }
        }
        """).doTest();
  }

  @Test
  void arenaHandedToACallWhoseCloseableResultOwnsIt() {
    // A factory returning an AutoCloseable built on the arena takes it over, as a constructor
    // does (datasketches-memory: return WritableMemoryImpl.wrapMap(.., Arena.ofConfined())); the
    // result then stands for the arena, and must itself be closed, returned or handed on.
    test(helper, """
        import java.lang.foreign.*;
        import java.util.stream.Stream;
        class Test {
          record Mapped(Arena arena, MemorySegment segment) implements AutoCloseable {
            static Mapped map(long size, Arena arena) { return new Mapped(arena, arena.allocate(size)); }
            public void close() { arena.close(); }
          }
          interface Server {
            Mapped request(long size, Arena arena);
            default Mapped request(long size) { return request(size, Arena.ofConfined()); }
          }
          static MemorySegment load(long size, Arena arena) { return arena.allocate(size); }
          static Stream<MemorySegment> rows(Arena arena) { return Stream.of(arena.allocate(8)); }
          Mapped kept;

          static Mapped open(long size) {
            return Mapped.map(size, Arena.ofConfined());
          }
          static long used(long size) {
            try (Mapped m = Mapped.map(size, Arena.ofConfined())) {
              return m.segment().byteSize();
            }
          }
          static Mapped local(long size) {
            Arena a = Arena.ofShared();
            Mapped m = Mapped.map(size, a);
            return m;
          }
          void stored(long size) {
            kept = Mapped.map(size, Arena.ofConfined());
          }
          static long closedThroughTheResult(long size) {
            Arena a = Arena.ofConfined();
            Mapped m = Mapped.map(size, a);
            m.close();
            return size;
          }
          static long neverClosed(long size) {
            // BUG: Diagnostic contains: The arena created here (Arena.ofConfined()) is owned by the result of 'Mapped.map(size, Arena.ofConfined())', which is never closed, returned, or handed to an owner; its native memory stays allocated until the process exits. Open that result in a try-with-resources statement
            Mapped m = Mapped.map(size, Arena.ofConfined());
            return m.segment().byteSize();
          }
          static long closedOnOnePath(long size, boolean close) {
            // BUG: Diagnostic contains: is owned by the result of 'Mapped.map(size, Arena.ofConfined())', which is not closed on every path: it stays open when the method returns at line 49
            Mapped m = Mapped.map(size, Arena.ofConfined());
            if (close) {
              m.close();
            }
            return size;
          }
          static long notCloseable(long size) {
            // BUG: Diagnostic contains: The arena created here (Arena.ofConfined()) is never closed, returned, or handed to an owner
            return load(size, Arena.ofConfined()).byteSize();
          }
          static long streamBorrows() {
            // BUG: Diagnostic contains: Arena 'a' (Arena.ofConfined()) is never closed, returned, or handed to an owner
            Arena a = Arena.ofConfined();
            return rows(a).count();
          }
          static long localNeverClosed(long size) {
            // BUG: Diagnostic contains: Arena 'a' (Arena.ofShared()) is owned by the result of 'Mapped.map(size, a)', which is never closed
            Arena a = Arena.ofShared();
            Mapped m = Mapped.map(size, a);
            return m.segment().byteSize();
          }
        }
        """).doTest();
  }

  @Test
  void ownerClassClosesItsField() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test implements AutoCloseable {
          private final Arena arena;
          private BumpArena scratch = BumpArena.ofConfined("scratch");
          private Arena given;
          Test() {
            Arena a = Arena.ofShared();
            this.arena = a;
          }
          Test(Arena given) {
            this.arena = Arena.ofConfined();
            this.given = given;
          }
          public void close() {
            arena.close();
            shutdown();
          }
          void shutdown() {
            if (scratch != null) {
              scratch.close();
            }
          }
        }
        """).doTest();
  }

  @Test
  void fieldHandedToCodeThatClosesIt() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.function.Consumer;
        class Test {
          private final Arena arena = Arena.ofConfined();
          private final Arena other = Arena.ofConfined();
          void register(Consumer<Runnable> cleaner) {
            cleaner.accept(arena::close);
            closeQuietly(other);
          }
          static void closeQuietly(AutoCloseable c) {}
        }
        """).doTest();
  }

  @Test
  void loopsThatRecreateTheArenaPerIteration() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f(int n) {
            for (int i = 0; i < n; i++) {
              try (Arena a = Arena.ofConfined()) {
                a.allocate(8);
              }
            }
            for (int i = 0; i < n; i++) {
              Arena b = Arena.ofConfined();
              try {
                b.allocate(8);
              } finally {
                b.close();
              }
            }
          }
        }
        """).doTest();
  }

  @Test
  void childArenasAreClosedWithTheirParent() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          void f() {
            try (BumpArena query = BumpArena.ofConfined("query")) {
              BumpArena parse = query.newChild("parse");
              BumpArena execute = BumpArena.builder("execute").parent(query).build();
              parse.allocate(8);
              execute.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void unboundedAndLongLivedArenasAreNotThisCheck() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static final Arena SHARED = Arena.ofShared();
          static final ThreadLocal<Arena> PER_THREAD = ThreadLocal.withInitial(() -> Arena.ofConfined());
          enum Holder {
            INSTANCE;
            private final Arena arena = Arena.ofShared();
          }
          void f() {
            Arena g = Arena.global();
            Arena auto = Arena.ofAuto();
            g.allocate(8);
            auto.allocate(8);
            PER_THREAD.set(Arena.ofConfined());
          }
        }
        """).doTest();
  }

  @Test
  void storedInAContainerOrCapturedByACleanup() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          private final List<Arena> arenas = new ArrayList<>();
          Runnable f() {
            arenas.add(Arena.ofConfined());
            Arena a = Arena.ofShared();
            return a::close;
          }
          Runnable g() {
            Arena a = Arena.ofShared();
            return () -> a.close();
          }
          void close() {
            arenas.forEach(Arena::close);
          }
        }
        """).doTest();
  }

  @Test
  void conditionalAndSwitchCreationsClosedByTryWithResources() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f(boolean shared, int kind) {
            Arena a = shared ? Arena.ofShared() : Arena.ofConfined();
            try (a) {
              a.allocate(8);
            }
            try (Arena b = switch (kind) {
                  case 0 -> Arena.ofShared();
                  default -> Arena.ofConfined();
                }) {
              b.allocate(8);
            }
          }
          void shutdownHook() {
            Arena a = Arena.ofShared();
            Thread hook = new Thread(a::close);
            Runtime.getRuntime().addShutdownHook(hook);
          }
        }
        """).doTest();
  }

  @Test
  void suppressedOnTheLocalVariable() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f() {
            @SuppressWarnings("ArenaNotClosed")
            Arena a = Arena.ofConfined();
            a.allocate(8);
          }
        }
        """).doTest();
  }

  @Test
  void suppressedOnTheMethodAndTheField() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          @SuppressWarnings("ArenaNotClosed")
          private final Arena arena = Arena.ofShared();
          @SuppressWarnings("ArenaNotClosed")
          void f() {
            Arena a = Arena.ofConfined();
            a.allocate(8);
          }
        }
        """).doTest();
  }
}
