package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.FixChoosers;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** SPEC §2.2 and §2.0.5: every long-lived owner, every way to allocate, the correct patterns, fixes. */
class ArenaLongLivedOwnerTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaLongLivedOwner.class, getClass());

  // ---------------------------------------------------------------- flagged: owners

  @Test
  void baseClassKeepsAnAutomaticArenaAndEveryCallAllocatesFromIt() {
    // SPEC §5: memory grows per call until the process dies.
    test(helper, """
        import java.lang.foreign.*;
        abstract class Base {
          // BUG: Diagnostic contains: 'ARENA' keeps an automatic arena in a static field, and code that runs repeatedly allocates into it outside any phase that resets it (lines 11, 15): an automatic arena frees nothing while the arena itself is reachable
          static final Arena ARENA = Arena.ofAuto();
        }
        class Test extends Base {
          static final MemorySegment ONCE = ARENA.allocate(8);
          static { ARENA.allocateFrom("setup"); }
          MemorySegment encode(String s) {
            // BUG: Diagnostic contains: 'ARENA.allocateFrom(s)' allocates from arena 'ARENA', a static field, from code that runs repeatedly, outside any phase that resets it
            return ARENA.allocateFrom(s);
          }
          long size(long n) {
            // BUG: Diagnostic contains: allocates from arena 'ARENA'
            return ARENA.allocate(n).byteSize();
          }
        }
        """).doTest();
  }

  @Test
  void staticArenasOfEveryKindClosingAtShutdownDoesNotHelp() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.BumpArena;
        class Test {
          // BUG: Diagnostic contains: 'SHARED' keeps a shared arena in a static field
          static final Arena SHARED = Arena.ofShared();
          // BUG: Diagnostic contains: 'BUMP' keeps a runtime arena in a static field
          static final BumpArena BUMP = BumpArena.builder("cache").shared().build();
          void handle() {
            // BUG: Diagnostic contains: nothing resets the arena (closing it at shutdown does not bound its growth)
            SHARED.allocate(64);
            // BUG: Diagnostic contains: allocates from arena 'BUMP'
            BUMP.allocate(64);
          }
          static void shutdown() { SHARED.close(); BUMP.close(); }
        }
        """).doTest();
  }

  @Test
  void threadLocalArenas() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          // BUG: Diagnostic contains: 'SCRATCH' keeps a confined arena in a ThreadLocal, whose arena lives as long as its thread (pool threads live as long as the program)
          static final ThreadLocal<Arena> SCRATCH = ThreadLocal.withInitial(Arena::ofConfined);
          void handle(String s) {
            // BUG: Diagnostic contains: allocates from arena 'SCRATCH', a ThreadLocal
            SCRATCH.get().allocateFrom(s);
            Arena mine = SCRATCH.get();
            // BUG: Diagnostic contains: allocates from arena 'SCRATCH'
            mine.allocate(16);
          }
        }
        """).doTest();
  }

  @Test
  void singletonsEnumsAndOutlivesArenaClasses() {
    helper
        .addSourceLines("jakarta/inject/Singleton.java", "package jakarta.inject;", "public @interface Singleton {}")
        .addSourceLines("org/springframework/stereotype/Service.java", "package org.springframework.stereotype;", "public @interface Service {}")
        .addSourceLines("Test.java", """
            import java.lang.foreign.*;
            import dev.arenaguard.annotations.OutlivesArena;
            @jakarta.inject.Singleton
            class Registry {
              // BUG: Diagnostic contains: 'arena' keeps a shared arena in a field of 'Registry', a long-lived owner
              private final Arena arena = Arena.ofShared();
              // Setup in the constructor runs once per owner.
              private final MemorySegment header = arena.allocate(64);
              MemorySegment register(String name) {
                // BUG: Diagnostic contains: allocates from arena 'arena', a field of 'Registry'
                return arena.allocateFrom(name);
              }
              void close() { arena.close(); }
            }
            @org.springframework.stereotype.Service
            class Encoder {
              // BUG: Diagnostic contains: a field of 'Encoder', a long-lived owner
              private final Arena arena = Arena.ofAuto();
              void encode(String s) {
                // BUG: Diagnostic contains: allocates from arena 'arena'
                arena.allocateFrom(s);
              }
            }
            @OutlivesArena
            class Session {
              // BUG: Diagnostic contains: a field of 'Session', a long-lived owner
              private final Arena arena = Arena.ofShared();
              void handle() {
                // BUG: Diagnostic contains: allocates from arena 'arena'
                arena.allocate(8);
              }
            }
            enum Codec {
              UTF8;
              // BUG: Diagnostic contains: 'arena' keeps an automatic arena in a field of enum 'Codec', whose constants live as long as the program
              private final Arena arena = Arena.ofAuto();
              private final MemorySegment table = arena.allocate(256);
              MemorySegment encode(String s) {
                // BUG: Diagnostic contains: allocates from arena 'arena'
                return arena.allocateFrom(s);
              }
            }
            """.split("\n"))
        .doTest();
  }

  @Test
  void configuredLongLivedOwnerAnnotation() {
    CompilationTestHelper.newInstance(ArenaLongLivedOwner.class, getClass())
        .setArgs("-XepOpt:ArenaGuard:LongLivedOwnerAnnotations=com.example.ApplicationScoped")
        .addSourceLines("com/example/ApplicationScoped.java", "package com.example;", "public @interface ApplicationScoped {}")
        .addSourceLines("Test.java", """
            import java.lang.foreign.*;
            @com.example.ApplicationScoped
            class Test {
              // BUG: Diagnostic contains: a field of 'Test', a long-lived owner
              private final Arena arena = Arena.ofShared();
              void handle() {
                // BUG: Diagnostic contains: allocates from arena 'arena'
                arena.allocate(8);
              }
            }
            """.split("\n"))
        .doTest();
  }

  @Test
  void theGlobalArenaNeverFrees() {
    test(helper, """
        import java.lang.foreign.*;
        import java.nio.file.Path;
        class Test {
          // BUG: Diagnostic contains: 'global' keeps the global arena in a field holding the global arena
          private final Arena global = Arena.global();
          void handle(String s) {
            // BUG: Diagnostic contains: 'Arena.global().allocateFrom(s)' allocates from 'Arena.global()', the global arena, from code that runs repeatedly, outside any phase that resets it: the global arena never frees
            Arena.global().allocateFrom(s);
            // BUG: Diagnostic contains: allocates from arena 'global'
            global.allocate(8);
            Arena alias = Arena.global();
            // BUG: Diagnostic contains: allocates from arena 'alias', the global arena
            alias.allocate(8);
            // BUG: Diagnostic contains: the global arena never frees
            SymbolLookup.libraryLookup(Path.of("/lib/libc.so.6"), Arena.global());
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: ways to allocate

  @Test
  void allocationsThroughAliasesAllocatorsCalleesAndConstructors() {
    helper.addSourceLines("lib/Bindings.java", """
        package lib;
        import java.lang.foreign.*;
        public class Bindings {
          public static MemorySegment helperElsewhere(SegmentAllocator allocator, String s) { return allocator.allocateFrom(s); }
          public static final class Encoder {
            public Encoder(SegmentAllocator allocator) {}
          }
        }
        """.split("\n"));
    test(helper, """
        import static lib.Bindings.helperElsewhere;
        import java.lang.foreign.*;
        import java.lang.invoke.MethodHandle;
        import java.util.function.Supplier;
        class Test {
          // BUG: Diagnostic contains: 'ARENA' keeps an automatic arena in a static field
          static final Arena ARENA = Arena.ofAuto();
          // BUG: Diagnostic contains: 'ALLOCATOR' keeps an automatic arena in a static field
          static final SegmentAllocator ALLOCATOR = Arena.ofAuto();
          // A lambda runs each time it is called, even if created once.
          // BUG: Diagnostic contains: allocates from arena 'ARENA'
          static final Supplier<MemorySegment> FRESH = () -> ARENA.allocate(8);
          // Keeps the arena it is given: the object allocates from it later.
          static final class Holder {
            private final Arena arena;
            Holder(Arena arena) { this.arena = arena; }
          }
          static MemorySegment encodeHere(Arena arena, String s) { return arena.allocateFrom(s); }
          static long sizeHere(Arena arena) { return arena.scope().isAlive() ? 1 : 0; }
          {
            // An instance initializer runs for every object.
            // BUG: Diagnostic contains: allocates from arena 'ARENA'
            ARENA.allocate(8);
          }
          void aliases(MethodHandle returnsStruct) throws Throwable {
            Arena a = ARENA;
            // BUG: Diagnostic contains: 'a.allocate(8)' allocates from arena 'ARENA'
            a.allocate(8);
            // BUG: Diagnostic contains: allocates from arena 'ALLOCATOR'
            ALLOCATOR.allocate(8);
            // The callee allocates from the arena it is given.
            // BUG: Diagnostic contains: 'helperElsewhere(ARENA, "x")' passes arena 'ARENA' to 'helperElsewhere', which allocates from it
            helperElsewhere(ARENA, "x");
            // BUG: Diagnostic contains: passes arena 'ARENA' to 'encodeHere'
            encodeHere(ARENA, "x");
            // A callee in this file that does not allocate from it.
            sizeHere(ARENA);
            // BUG: Diagnostic contains: passes arena 'ALLOCATOR' to 'new Encoder'
            new lib.Bindings.Encoder(ALLOCATOR);
            // BUG: Diagnostic contains: passes arena 'ARENA' to 'new Holder'
            new Holder(ARENA);
            // A downcall returning a struct allocates it from the allocator.
            // BUG: Diagnostic contains: passes arena 'ARENA' to 'invokeExact'
            MemorySegment point = (MemorySegment) returnsStruct.invokeExact((SegmentAllocator) ARENA, 1, 2);
          }
        }
        """).doTest();
  }

  @Test
  void aResetThatIsNotInAFinallyBlock() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.BumpArena;
        class Test {
          // BUG: Diagnostic contains: 'ARENA' keeps a runtime arena in a static field
          static final BumpArena ARENA = BumpArena.ofShared("requests");
          void handle(String s) {
            // BUG: Diagnostic contains: (it is reset at line 9, but not in a finally block around the allocation: an exception skips the reset and the memory stays)
            ARENA.allocateFrom(s);
            ARENA.reset();
          }
        }
        """).doTest();
  }

  @Test
  void privateHelpersRunAsOftenAsTheirCallers() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static final MemorySegment A = cstr("a");
          static final MemorySegment B;
          static { B = cstr("b"); }
          // Called only from one-time code: runs once.
          private static MemorySegment cstr(String s) { return Arena.global().allocateFrom(s); }
          // Also called from a method: runs repeatedly.
          private static MemorySegment name(String s) {
            // BUG: Diagnostic contains: the global arena never frees
            return Arena.global().allocateFrom(s);
          }
          static final MemorySegment C = name("c");
          MemorySegment lookup(String s) { return name(s); }
        }
        """).doTest();
  }

  @Test
  void lazyInitializationRunsOnceUnlessTheFieldIsCleared() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          private static MemorySegment callback;
          private static volatile MemorySegment table;
          private static MemorySegment cached;
          static MemorySegment callback() {
            if (callback == null) {
              callback = Arena.global().allocateFrom("callback");
            }
            return callback;
          }
          static MemorySegment table() {
            if (table == null) {
              synchronized (Test.class) {
                if (null == table) {
                  table = Arena.global().allocate(1024);
                }
              }
            }
            return table;
          }
          static MemorySegment cached() {
            if (cached == null) {
              // BUG: Diagnostic contains: the global arena never frees
              cached = Arena.global().allocate(8);
            }
            return cached;
          }
          static void invalidate() { cached = null; }
        }
        """).doTest();
  }

  @Test
  void mainRunsOnceButItsLoopsRepeat() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          // BUG: Diagnostic contains: (line 11)
          static final Arena ARENA = Arena.ofShared();
          public static void main(String[] args) {
            MemorySegment config = ARENA.allocateFrom(args.length > 0 ? args[0] : "default");
            setUp();
            for (String request : args) {
              // A request loop: memory grows per request.
              // BUG: Diagnostic contains: allocates from arena 'ARENA'
              ARENA.allocateFrom(request);
            }
          }
          private static void setUp() { ARENA.allocate(64); }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- not flagged

  @Test
  void correctPatternsStaySilent() {
    test(helper, """
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        import java.lang.foreign.*;
        import java.nio.file.Path;
        import dev.arenaguard.runtime.*;
        class Test {
          // Setup in static initialisers: once.
          static final Arena AUTO = Arena.ofAuto();
          static final MemorySegment TABLE = AUTO.allocate(JAVA_INT, 256);
          static final MemorySegment NAME = Arena.global().allocateFrom("name");
          static final SymbolLookup LIBC;
          static {
            LIBC = SymbolLookup.libraryLookup(Path.of("/lib/libc.so.6"), Arena.global());
            TABLE.setAtIndex(JAVA_INT, 0, 1);
          }
          // A long-lived arena that repeated code never allocates into.
          static final Arena LIBRARIES = Arena.ofShared();
          static final SymbolLookup LIB = SymbolLookup.libraryLookup(Path.of("/lib/libm.so.6"), LIBRARIES);
          // Per-request arenas from a pool.
          static final ArenaPool REQUESTS = ArenaPool.ofConfined("requests");
          // A long-lived runtime arena used through phases, or reset in a finally block.
          static final BumpArena LONG = BumpArena.ofShared("long");
          static final BumpArena RESET = BumpArena.ofConfined("reset");

          MemorySegment symbol(String name) { return LIB.find(name).orElseThrow(); }
          boolean alive() { return LIBRARIES.scope().isAlive(); }
          void pooled(int n) {
            try (BumpArena arena = REQUESTS.acquire()) {
              arena.allocate(JAVA_INT, n);
            }
          }
          void phased(int n) {
            try (Phase request = LONG.phase()) {
              LONG.allocate(JAVA_INT, n);
              BumpArena alias = LONG;
              alias.allocate(8);
            }
          }
          void resetInFinally(int n) {
            try {
              RESET.allocate(JAVA_INT, n);
            } finally {
              RESET.reset();
            }
          }
          void childPerRequest() {
            try (BumpArena child = LONG.newChild("request")) {
              child.allocate(64);
            }
          }
          // A fresh automatic arena per call is bounded by the garbage collector.
          MemorySegment fresh(String s) { return Arena.ofAuto().allocateFrom(s); }
          MemorySegment freshLocal(String s) {
            Arena auto = Arena.ofAuto();
            return auto.allocateFrom(s);
          }
          // A local arena, closed here.
          void local() {
            try (Arena arena = Arena.ofConfined()) {
              arena.allocate(8);
            }
          }
          // A callee in this file that allocates only inside a phase of the arena it is given.
          static void phasedCallee(BumpArena arena) {
            try (Phase p = arena.phase()) {
              arena.allocate(8);
            }
          }
          void callsPhasedCallee() { phasedCallee(LONG); }
          // The runtime's own methods do not allocate unless modelled to.
          void child() { BumpArena.builder("c").parent(LONG).build().close(); }
        }
        // An ordinary object owning its arena: ownership, not placement.
        class Owner implements AutoCloseable {
          private final Arena arena = Arena.ofConfined();
          void grow() { arena.allocate(128); }
          public void close() { arena.close(); }
        }
        // An enum singleton that allocates only while its constants are built.
        enum Tables {
          INSTANCE;
          private final Arena arena = Arena.ofAuto();
          private final MemorySegment squares = arena.allocate(JAVA_INT, 16);
          Tables() {
            Arena.global().allocate(8);
          }
          int square(int i) { return squares.getAtIndex(JAVA_INT, i); }
        }
        """).doTest();
  }

  @Test
  void suppressedAllocationsDoNotMakeThePlacementAFinding() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static final Arena QUIET = Arena.ofAuto();
          // BUG: Diagnostic contains: (line 13)
          static final Arena LOUD = Arena.ofAuto();
          @SuppressWarnings("ArenaLongLivedOwner")
          void known() {
            QUIET.allocate(8);
            LOUD.allocate(8);
          }
          void growing() {
            // BUG: Diagnostic contains: allocates from arena 'LOUD'
            LOUD.allocate(8);
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- fixes

  private final BugCheckerRefactoringTestHelper refactoring =
      BugCheckerRefactoringTestHelper.newInstance(ArenaLongLivedOwner.class, getClass());

  @Test
  void fixAllocatesFromAPerCallArenaWhenTheMemoryStaysInTheCall() {
    Sources.refactor(refactoring, """
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        import java.lang.foreign.*;
        class Test {
          static final Arena ARENA = Arena.ofAuto();
          static void fill(MemorySegment s) {}
          int sum(int n) {
            MemorySegment ints = ARENA.allocate(JAVA_INT, n);
            fill(ints);
            int total = 0;
            for (int i = 0; i < n; i++) {
              total += ints.getAtIndex(JAVA_INT, i);
            }
            return total;
          }
          void print(String s) {
            fill(Arena.global().allocateFrom(s));
          }
          static java.lang.invoke.MethodHandle STRLEN;
          int strlen(String s) throws Throwable {
            MemorySegment str = ARENA.allocateFrom(s);
            return (int) STRLEN.invokeExact(str);
          }
        }
        """, """
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        import java.lang.foreign.*;
        class Test {
          static final Arena ARENA = Arena.ofAuto();
          static void fill(MemorySegment s) {}
          int sum(int n) {
            try (Arena arena = Arena.ofConfined()) {
              MemorySegment ints = arena.allocate(JAVA_INT, n);
              fill(ints);
              int total = 0;
              for (int i = 0; i < n; i++) {
                total += ints.getAtIndex(JAVA_INT, i);
              }
              return total;
            }
          }
          void print(String s) {
            try (Arena arena = Arena.ofConfined()) {
              fill(arena.allocateFrom(s));
            }
          }
          static java.lang.invoke.MethodHandle STRLEN;
          int strlen(String s) throws Throwable {
            try (Arena arena = Arena.ofConfined()) {
              MemorySegment str = arena.allocateFrom(s);
              return (int) STRLEN.invokeExact(str);
            }
          }
        }
        """).doTest();
  }

  @Test
  void fixAllocatesFromAFreshAutomaticArenaWhenTheMemoryIsKept() {
    Sources.refactor(refactoring, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static final Arena ARENA = Arena.ofAuto();
          final List<MemorySegment> kept = new ArrayList<>();
          MemorySegment encode(String s) {
            return ARENA.allocateFrom(s);
          }
          void keep(String s) {
            MemorySegment encoded = ARENA.allocateFrom(s);
            kept.add(encoded);
          }
        }
        """, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static final Arena ARENA = Arena.ofAuto();
          final List<MemorySegment> kept = new ArrayList<>();
          MemorySegment encode(String s) {
            return Arena.ofAuto().allocateFrom(s);
          }
          void keep(String s) {
            MemorySegment encoded = Arena.ofAuto().allocateFrom(s);
            kept.add(encoded);
          }
        }
        """).doTest();
  }

  @Test
  void secondFixForAnAutomaticArenaIsAFreshOne() {
    Sources.refactor(refactoring, """
        import java.lang.foreign.*;
        class Test {
          static final Arena ARENA = Arena.ofAuto();
          long size(long n) {
            MemorySegment s = ARENA.allocate(n);
            return s.byteSize();
          }
        }
        """, """
        import java.lang.foreign.*;
        class Test {
          static final Arena ARENA = Arena.ofAuto();
          long size(long n) {
            MemorySegment s = Arena.ofAuto().allocate(n);
            return s.byteSize();
          }
        }
        """).setFixChooser(FixChoosers.SECOND).doTest();
  }

  @Test
  void noFixWhenNothingIsMechanical() {
    // A shared static arena whose memory is kept: no per-call arena fits, and a fresh automatic
    // arena would change what the memory is (the message points to ArenaPool and phase()).
    refactoring
        .addInputLines("Test.java", """
            import java.lang.foreign.*;
            class Test {
              static final Arena SHARED = Arena.ofShared();
              MemorySegment last;
              void keep() {
                last = SHARED.allocate(8);
              }
            }
            """.split("\n"))
        .expectUnchanged()
        .doTest();
  }
}
