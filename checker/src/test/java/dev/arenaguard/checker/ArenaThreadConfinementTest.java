package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** SPEC §2.3: every way to hand work to another thread, confined arenas in fields, and the fix. */
class ArenaThreadConfinementTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaThreadConfinement.class, getClass());

  // ---------------------------------------------------------------- flagged: executors and threads

  @Test
  void executorsAwaitedOrNot() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        import java.util.concurrent.*;
        class Test {
          static void use(MemorySegment s) {}
          void submitted(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: '() -> use(seg)' (memory of arena 'a') is handed to another thread by 'submit'; 'a' is a confined arena
              Future<?> f = executor.submit(() -> use(seg));
              f.get();
            }
          }
          void executed(Executor executor) {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: by 'execute'
              executor.execute(() -> use(seg));
            }
          }
          void invokeAll(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              List<Callable<Long>> tasks = new ArrayList<>();
              tasks.add(() -> seg.byteSize());
              // BUG: Diagnostic contains: by 'invokeAll'
              executor.invokeAll(tasks);
              // BUG: Diagnostic contains: by 'invokeAny'
              executor.invokeAny(tasks);
            }
          }
          void theArenaItself(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: '() -> a.allocate(16)' (memory of arena 'a')
              executor.submit(() -> a.allocate(16)).get();
            }
          }
          void scheduled(ScheduledExecutorService executor) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            // BUG: Diagnostic contains: by 'schedule'
            executor.schedule(() -> use(seg), 1, TimeUnit.SECONDS);
          }
        }
        """).doTest();
  }

  @Test
  void threadsAndBuilders() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static void use(MemorySegment s) {}
          void threads(ThreadFactory factory) throws InterruptedException {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: by 'new Thread'
              Thread t = new Thread(() -> use(seg));
              t.start();
              t.join();
              // BUG: Diagnostic contains: by 'start'
              Thread.ofPlatform().start(() -> use(seg)).join();
              // BUG: Diagnostic contains: by 'unstarted'
              Thread.ofVirtual().name("worker").unstarted(() -> use(seg));
              // BUG: Diagnostic contains: by 'startVirtualThread'
              Thread.startVirtualThread(() -> use(seg));
              // BUG: Diagnostic contains: by 'newThread'
              factory.newThread(() -> use(seg));
              // BUG: Diagnostic contains: by 'start'
              new Thread() { public void run() { use(seg); } }.start();
            }
          }
        }
        """).doTest();
  }

  @Test
  void completableFuturesAndForkJoin() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static long use(MemorySegment s) { return s.byteSize(); }
          void futures() {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: by 'supplyAsync'
              long n = CompletableFuture.supplyAsync(() -> use(seg)).join();
              // BUG: Diagnostic contains: by 'runAsync'
              CompletableFuture.runAsync(() -> use(seg)).join();
              // BUG: Diagnostic contains: by 'thenApplyAsync'
              CompletableFuture.completedFuture(1L).thenApplyAsync(x -> x + use(seg)).join();
            }
          }
          void forkJoin(ForkJoinPool pool) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              RecursiveTask<Long> task = new RecursiveTask<>() {
                protected Long compute() { return use(seg); }
              };
              // BUG: Diagnostic contains: by 'invoke'
              pool.invoke(task);
              // BUG: Diagnostic contains: by 'submit'
              pool.submit(() -> use(seg)).get();
              // BUG: Diagnostic contains: by 'execute'
              pool.execute(() -> use(seg));
              // BUG: Diagnostic contains: by 'fork'
              task.fork();
              task.join();
              // BUG: Diagnostic contains: by 'invokeAll'
              ForkJoinTask.invokeAll(task, task);
            }
          }
        }
        """).doTest();
  }

  @Test
  void parallelStreams() {
    test(helper, """
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        import java.lang.foreign.*;
        import java.util.*;
        import java.util.stream.*;
        class Test {
          void fill(int n) {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(4L * n);
              // A lambda capturing confined memory in a parallel pipeline.
              // BUG: Diagnostic contains: 'i -> seg.setAtIndex(JAVA_INT, i, i)' (memory of arena 'a') is handed to another thread by 'forEach' of a parallel stream
              IntStream.range(0, n).parallel().forEach(i -> seg.setAtIndex(JAVA_INT, i, i));
              IntStream numbers = IntStream.range(0, n).parallel();
              // BUG: Diagnostic contains: by 'map' of a parallel stream
              numbers.map(i -> seg.getAtIndex(JAVA_INT, i)).sum();
              // A stream over confined values made parallel.
              List<MemorySegment> rows = new ArrayList<>();
              rows.add(seg.asSlice(0, 4));
              // BUG: Diagnostic contains: 'rows' (memory of arena 'a') is handed to another thread by 'parallelStream()', which processes the elements on other threads
              long total = rows.parallelStream().mapToLong(MemorySegment::byteSize).sum();
              // BUG: Diagnostic contains: by 'parallel()'
              seg.elements(JAVA_INT).parallel().mapToInt(e -> e.get(JAVA_INT, 0)).sum();
            }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: runtime arenas, fields, objects

  @Test
  void runtimeAndPooledConfinedArenas() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        import dev.arenaguard.runtime.*;
        class Test {
          static final ArenaPool REQUESTS = ArenaPool.ofConfined("requests");
          static final ArenaPool SHARED = ArenaPool.ofShared("shared");
          static void use(MemorySegment s) {}
          void runtime(ExecutorService executor) throws Exception {
            try (BumpArena a = BumpArena.ofConfined("work")) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: 'a' is a confined arena
              executor.submit(() -> use(seg)).get();
            }
            try (BumpArena b = BumpArena.builder("built").chunkSize(4096).build()) {
              MemorySegment seg = b.allocate(8);
              // BUG: Diagnostic contains: 'b' is a confined arena
              executor.submit(() -> use(seg)).get();
            }
          }
          void pooled(ExecutorService executor) throws Exception {
            try (BumpArena lease = REQUESTS.acquire()) {
              MemorySegment seg = lease.allocate(8);
              // BUG: Diagnostic contains: Acquire the arena from a shared pool
              executor.submit(() -> use(seg)).get();
            }
            try (BumpArena lease = SHARED.acquire()) {
              MemorySegment seg = lease.allocate(8);
              executor.submit(() -> use(seg)).get();
            }
          }
          void phaseOfASharedArena(ExecutorService executor, BumpArena unused) throws Exception {
            try (BumpArena shared = BumpArena.ofShared("s")) {
              try (Phase p = shared.phase()) {
                // Memory allocated in a phase belongs to the thread that opened the phase.
                MemorySegment seg = shared.allocate(8);
                // BUG: Diagnostic contains: memory allocated from 'shared' in a phase
                executor.submit(() -> use(seg)).get();
              }
              MemorySegment outside = shared.allocate(8);
              executor.submit(() -> use(outside)).get();
            }
          }
        }
        """).doTest();
  }

  @Test
  void objectsKeepingAConfinedArenaUsedFromAnExecutor() {
    // SPEC §5: objects keep Arena.ofConfined() in a field and are later used from an executor.
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static final class Session implements AutoCloseable {
            private final Arena arena = Arena.ofConfined();
            private MemorySegment buffer;
            MemorySegment read() { return arena.allocate(64); }
            void prepare() { buffer = arena.allocate(16); }
            long size() { return buffer.byteSize(); }
            String name() { return "session"; }
            public void close() { arena.close(); }
          }
          private final Arena arena = Arena.ofConfined();
          void sessions(ExecutorService executor) throws Exception {
            Session session = new Session();
            // BUG: Diagnostic contains: object 'session', which keeps confined arena 'Session.arena' in a field
            executor.submit(() -> session.read()).get();
            // Through a field holding the arena's memory.
            // BUG: Diagnostic contains: 'arena' is a confined arena
            executor.submit(session::size).get();
            // A method that does not touch the arena.
            executor.submit(() -> session.name()).get();
            executor.submit(session::name).get();
          }
          void ownField(ExecutorService executor) throws Exception {
            // BUG: Diagnostic contains: memory of arena field 'arena'
            executor.submit(() -> arena.allocate(8)).get();
            // Through a method of this class that uses the arena.
            // BUG: Diagnostic contains: memory of arena field 'arena'
            executor.submit(this::scratch).get();
            // BUG: Diagnostic contains: memory of arena field 'arena'
            executor.submit(() -> scratch().byteSize()).get();
            executor.submit(() -> unrelated()).get();
          }
          MemorySegment scratch() { return arena.allocate(32); }
          long unrelated() { return 42; }
        }
        """).doTest();
  }

  @Test
  void aFieldSomeWriteFillsWithConfinedMemoryGoesWithTheTask() {
    // test-cases SessionFlusher: 'pending' starts as MemorySegment.NULL and write() fills it with
    // the confined arena's memory. A task reading it fails on the other thread whenever it holds
    // that memory, whatever the field's other writes store.
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static final class Session implements AutoCloseable {
            private final Arena arena = Arena.ofConfined();
            private MemorySegment pending = MemorySegment.NULL;
            private MemorySegment given = MemorySegment.NULL;
            void write(String command) { pending = arena.allocateFrom(command); }
            void give(MemorySegment s) { given = s; }
            String flush() { return pending.getString(0); }
            long givenSize() { return given.byteSize(); }
            public void close() { arena.close(); }
          }
          private final Arena arena = Arena.ofConfined();
          private MemorySegment pending = MemorySegment.NULL;
          private MemorySegment given;
          void write(String command) { pending = arena.allocateFrom(command); }
          void give(MemorySegment s) { given = s; }
          String flush() { return pending.getString(0); }
          void sessions(ExecutorService executor) throws Exception {
            Session session = new Session();
            session.write("SET user:7 alice");
            // BUG: Diagnostic contains: object 'session', which keeps confined arena 'Session.arena' in a field
            executor.submit(session::flush).get();
            // BUG: Diagnostic contains: object 'session', which keeps confined arena 'Session.arena' in a field
            executor.submit(() -> session.flush()).get();
            // Only ever given memory by callers: not this object's arena's.
            executor.submit(session::givenSize).get();
          }
          void ownFields(ExecutorService executor) throws Exception {
            // BUG: Diagnostic contains: 'arena' is a confined arena
            executor.submit(() -> pending.byteSize()).get();
            // BUG: Diagnostic contains: 'arena' is a confined arena
            executor.submit(this::flush).get();
            executor.submit(() -> given.byteSize()).get();
          }
        }
        """).doTest();
  }

  @Test
  void taskObjectsAndLocalClassesCarryWhatTheyAreGiven() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static final class Worker implements Runnable {
            private final Arena arena;
            Worker(Arena arena) { this.arena = arena; }
            public void run() { arena.allocate(8); }
          }
          static void use(MemorySegment s) {}
          void tasks(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: 'new Worker(a)' (memory of arena 'a')
              executor.submit(new Worker(a)).get();
              Runnable worker = new Worker(a);
              // BUG: Diagnostic contains: 'worker' (memory of arena 'a')
              executor.submit(worker).get();
              MemorySegment seg = a.allocate(8);
              class Task implements Runnable {
                public void run() { use(seg); }
              }
              // BUG: Diagnostic contains: 'new Task()' (memory of arena 'a')
              executor.submit(new Task()).get();
            }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- not flagged

  @Test
  void correctCodeStaysSilent() {
    test(helper, """
        import static java.lang.foreign.ValueLayout.JAVA_BYTE;
        import java.lang.foreign.*;
        import java.util.*;
        import java.util.concurrent.*;
        import java.util.stream.*;
        import dev.arenaguard.runtime.*;
        class Test {
          static final ThreadLocal<Arena> PER_THREAD = ThreadLocal.withInitial(Arena::ofConfined);
          static final ArenaPool REQUESTS = ArenaPool.ofConfined("requests");
          static void use(MemorySegment s) {}
          static void use(byte[] b) {}
          void sharedArenaAwaited(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg)).get();
              executor.invokeAll(List.of(() -> seg.byteSize()));
            }
          }
          void arenaCreatedOnTheWorkerThread(ExecutorService executor) throws Exception {
            executor.submit(() -> {
              try (Arena mine = Arena.ofConfined()) {
                use(mine.allocate(8));
              }
            }).get();
            executor.submit(() -> {
              try (BumpArena lease = REQUESTS.acquire()) {
                use(lease.allocate(8));
              }
            }).get();
            // Each thread's own arena of a ThreadLocal.
            executor.submit(() -> use(PER_THREAD.get().allocate(8))).get();
          }
          void copiedOut(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              byte[] data = a.allocate(8).toArray(JAVA_BYTE);
              executor.submit(() -> use(data)).get();
              long size = a.allocate(8).byteSize();
              executor.submit(() -> size + 1).get();
            }
          }
          void unboundedMemory(ExecutorService executor) throws Exception {
            MemorySegment auto = Arena.ofAuto().allocate(8);
            MemorySegment global = Arena.global().allocate(8);
            executor.submit(() -> { use(auto); use(global); }).get();
          }
          void sequentialStreams(List<Integer> numbers) {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(64);
              numbers.stream().forEach(i -> seg.set(JAVA_BYTE, i, (byte) 1));
              IntStream.range(0, 8).parallel().sequential().forEach(i -> seg.set(JAVA_BYTE, i, (byte) 1));
              // A parallel stream that takes no confined memory along.
              IntStream.range(0, 8).parallel().map(i -> i * 2).sum();
            }
          }
        }
        """).doTest();
  }

  @Test
  void oneDiagnosticPerMistakeArenaEscapeLeavesConfinedHandoffsAlone() {
    // The same handoffs as above, unawaited: ArenaThreadConfinement reports them (tested above),
    // ArenaEscape does not (SPEC §2.0.1), while it still reports the shared arena's.
    test(CompilationTestHelper.newInstance(ArenaEscape.class, getClass()), """
        import java.lang.foreign.*;
        import java.util.*;
        import java.util.concurrent.*;
        class Test {
          static final class Worker implements Runnable {
            private final Arena arena;
            Worker(Arena arena) { this.arena = arena; }
            public void run() { arena.allocate(8); }
          }
          static long use(MemorySegment s) { return s.byteSize(); }
          void confined(ExecutorService executor, ForkJoinPool pool) {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg));
              executor.submit(new Worker(a));
              new Thread() { public void run() { use(seg); } }.start();
              RecursiveTask<Long> task = new RecursiveTask<>() { protected Long compute() { return use(seg); } };
              task.fork();
              CompletableFuture.supplyAsync(() -> use(seg));
            }
          }
          void shared(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: is handed to another thread by 'fork'
              new RecursiveTask<Long>() { protected Long compute() { return use(seg); } }.fork();
              // BUG: Diagnostic contains: is handed to another thread by 'submit'
              executor.submit(new Worker(a));
              // Awaited at once.
              executor.submit(() -> use(seg)).get();
              CompletableFuture.supplyAsync(() -> use(seg)).join();
            }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- fields of types other threads reach

  @Test
  void confinedArenaFieldsOfTypesOtherThreadsReach() {
    helper
        .addSourceLines("net/jcip/annotations/ThreadSafe.java", "package net.jcip.annotations;", "public @interface ThreadSafe {}")
        .addSourceLines("net/jcip/annotations/NotThreadSafe.java", "package net.jcip.annotations;", "public @interface NotThreadSafe {}")
        .addSourceLines("lib/Session.java", """
            package lib;
            import java.lang.foreign.*;
            public class Session implements AutoCloseable {
              // BUG: Diagnostic contains: Arena field 'arena' holds a confined arena, but 'Session' is a public type whose public methods use it
              private final Arena arena = Arena.ofConfined();
              public MemorySegment buffer(long size) { return arena.allocate(size); }
              @Override public void close() { arena.close(); }
            }
            """.split("\n"))
        .addSourceLines("lib/Cache.java", """
            package lib;
            import java.lang.foreign.*;
            import dev.arenaguard.runtime.BumpArena;
            @com.google.errorprone.annotations.ThreadSafe
            final class Cache {
              // BUG: Diagnostic contains: 'Cache' is declared @ThreadSafe
              private final BumpArena arena = BumpArena.ofConfined("cache");
            }
            """.split("\n"))
        .addSourceLines("lib/Index.java", """
            package lib;
            import java.lang.foreign.*;
            @net.jcip.annotations.ThreadSafe
            public class Index {
              // BUG: Diagnostic contains: 'Index' is declared @ThreadSafe
              private final Arena arena;
              public Index() { arena = Arena.ofConfined(); }
            }
            """.split("\n"))
        .addSourceLines("lib/Quiet.java", """
            package lib;
            import java.lang.foreign.*;
            import java.util.concurrent.*;
            // States its confinement.
            @net.jcip.annotations.NotThreadSafe
            public class Quiet {
              private final Arena arena = Arena.ofConfined();
              public MemorySegment buffer() { return arena.allocate(8); }
            }
            // Package-private: used by one thread.
            class Internal {
              private final Arena arena = Arena.ofConfined();
              MemorySegment buffer() { return arena.allocate(8); }
            }
            """.split("\n"))
        .addSourceLines("lib/Shared.java", """
            package lib;
            import java.lang.foreign.*;
            public class Shared {
              private final Arena arena = Arena.ofShared();
              public MemorySegment buffer() { return arena.allocate(8); }
            }
            """.split("\n"))
        .addSourceLines("lib/Given.java", """
            package lib;
            import java.lang.foreign.*;
            // Not only confined arenas: also one given by the caller.
            public class Given {
              private final Arena arena;
              public Given() { arena = Arena.ofConfined(); }
              public Given(Arena arena) { this.arena = arena; }
              public MemorySegment buffer() { return arena.allocate(8); }
            }
            """.split("\n"))
        .addSourceLines("lib/ConstructorOnly.java", """
            package lib;
            import java.lang.foreign.*;
            // The arena is used only while the object is built, on the creating thread.
            public class ConstructorOnly {
              private final Arena arena = Arena.ofConfined();
              private final long size;
              public ConstructorOnly() { size = arena.allocate(8).byteSize(); }
              public long size() { return size; }
            }
            """.split("\n"))
        .addSourceLines("lib/ThroughHelper.java", """
            package lib;
            import java.lang.foreign.*;
            // A public method reaches the arena through a private helper.
            public class ThroughHelper {
              // BUG: Diagnostic contains: 'ThroughHelper' is a public type whose public methods use it
              private static final Arena SCRATCH = Arena.ofConfined();
              public long encode(String s) { return copy(s).byteSize(); }
              private MemorySegment copy(String s) { return SCRATCH.allocateFrom(s); }
            }
            """.split("\n"))
        .addSourceLines("lib/NotApi.java", """
            package lib;
            import java.lang.foreign.*;
            // Only package-private methods and the program's main use the arena.
            public class NotApi {
              static final Arena SERVER = Arena.ofConfined();
              static long handle(String s) { return SERVER.allocateFrom(s).byteSize(); }
              public static void main(String[] args) {
                handle("x");
                SERVER.close();
              }
            }
            """.split("\n"))
        .addSourceLines("lib/HandedOff.java", """
            package lib;
            import java.lang.foreign.*;
            import java.util.concurrent.*;
            // The handoff is in the code: reported there, not at the field.
            public class HandedOff {
              private final Arena arena = Arena.ofConfined();
              public void start(ExecutorService executor) {
                // BUG: Diagnostic contains: memory of arena field 'arena'
                executor.execute(() -> arena.allocate(8));
              }
            }
            """.split("\n"))
        .doTest();
  }

  @Test
  void configuredConfinementAnnotation() {
    CompilationTestHelper.newInstance(ArenaThreadConfinement.class, getClass())
        .setArgs("-XepOpt:ArenaGuard:ConfinementAnnotations=com.example.SingleThreaded")
        .addSourceLines("com/example/SingleThreaded.java", "package com.example;", "public @interface SingleThreaded {}")
        .addSourceLines("Test.java", """
            import java.lang.foreign.*;
            @com.example.SingleThreaded
            public class Test {
              private final Arena arena = Arena.ofConfined();
              public MemorySegment buffer() { return arena.allocate(8); }
            }
            """.split("\n"))
        .doTest();
  }

  @Test
  void suppressible() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          @SuppressWarnings("ArenaThreadConfinement")
          void f(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              executor.submit(() -> a.allocate(8)).get();
            }
          }
          void g(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: ArenaThreadConfinement
              executor.submit(() -> a.allocate(8)).get();
            }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- fixes

  private final BugCheckerRefactoringTestHelper refactoring =
      BugCheckerRefactoringTestHelper.newInstance(ArenaThreadConfinement.class, getClass());

  @Test
  void fixCreatesTheLocalArenaShared() {
    Sources.refactor(refactoring, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        import dev.arenaguard.runtime.BumpArena;
        class Test {
          static void use(MemorySegment s) {}
          void f(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg)).get();
            }
          }
          void g(ExecutorService executor) throws Exception {
            try (BumpArena a = BumpArena.ofConfined("work")) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg)).get();
            }
          }
        }
        """, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        import dev.arenaguard.runtime.BumpArena;
        class Test {
          static void use(MemorySegment s) {}
          void f(ExecutorService executor) throws Exception {
            try (Arena a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg)).get();
            }
          }
          void g(ExecutorService executor) throws Exception {
            try (BumpArena a = BumpArena.ofShared("work")) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg)).get();
            }
          }
        }
        """).doTest();
  }

  @Test
  void noFixForArenasNotCreatedHere() {
    // A field's arena cannot be rewritten at the handoff: the file stays as it is.
    refactoring
        .addInputLines("Test.java", """
            import java.lang.foreign.*;
            import java.util.concurrent.*;
            class Test {
              private final Arena arena = Arena.ofConfined();
              void f(ExecutorService executor) throws Exception {
                executor.submit(() -> arena.allocate(8)).get();
              }
            }
            """.split("\n"))
        .expectUnchanged()
        .doTest();
  }
}
