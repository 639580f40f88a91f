package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** SPEC §2.1: every row of both tables, §2.0 semantics, and the field shapes of SPEC §5. */
class ArenaEscapeTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaEscape.class, getClass());

  // ---------------------------------------------------------------- flagged: return past the close

  @Test
  void returnPastTheCloseOfTryWithResources() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment f() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: 'a' is closed at line 7, the end of its try-with-resources block
              return a.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void returnAfterExplicitClose() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment f() {
            Arena a = Arena.ofShared();
            MemorySegment s = a.allocate(8);
            a.close();
            // BUG: Diagnostic contains: 'a' is closed at line 6
            return s;
          }
        }
        """).doTest();
  }

  @Test
  void returnFromClosingMethodIsFlaggedWhateverTheAnnotation() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.ArenaScoped;
        class Test {
          @ArenaScoped MemorySegment f() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: returned past the end of its arena's scope
              return a.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void returnSliceOfClosedArena() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment header(long n) {
            try (Arena arena = Arena.ofConfined()) {
              MemorySegment segment = arena.allocate(n);
              // BUG: Diagnostic contains: 'segment.asSlice(0, 16)' (memory of arena 'arena')
              return segment.asSlice(0, 16);
            }
          }
        }
        """).doTest();
  }

  @Test
  void returnFromPhase() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import dev.arenaguard.annotations.ArenaScoped;
        class Test {
          private final BumpArena arena = BumpArena.ofConfined("work");
          @ArenaScoped MemorySegment f() {
            try (Phase p = arena.phase()) {
              // BUG: Diagnostic contains: the phase of 'arena' ends at line 10
              return arena.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void pooledArenaInTryWithResources() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          static MemorySegment last;
          void handle(ArenaPool pool) {
            try (BumpArena a = pool.acquire()) {
              // BUG: Diagnostic contains: static field 'last'
              last = a.allocate(16);
            }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: return without @ArenaScoped

  @Test
  void returnFromParameterArenaNeedsArenaScoped() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment f(Arena a) {
            // BUG: Diagnostic contains: which is not declared @ArenaScoped
            return a.allocate(8);
          }
        }
        """).doTest();
  }

  @Test
  void longAndMultiLineExpressionsAreQuotedOnOneLineAndCut() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment f(Arena arena) {
            // BUG: Diagnostic contains: 'arena.allocateFrom("a string long enough to be cut short ...' (memory of parameter arena 'arena') is returned
            return arena.allocateFrom("a string long enough to be cut short in the message");
          }
          MemorySegment g(Arena arena) {
            // BUG: Diagnostic contains: 'arena.allocate(8) .fill((byte) 0)' (memory of parameter arena 'arena') is returned
            return arena
                .allocate(8) .fill(
                    (byte) 0);
          }
        }
        """).doTest();
  }

  @Test
  void returnFromReceiverArenaNeedsArenaScoped() {
    test(helper, """
        import java.lang.foreign.*;
        class Test implements AutoCloseable {
          private final Arena arena = Arena.ofConfined();
          MemorySegment f() {
            // BUG: Diagnostic contains: which is not declared @ArenaScoped
            return arena.allocate(8);
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void arenaScopedReturnsAreFine() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.ArenaScoped;
        class Test implements AutoCloseable {
          private final Arena arena = Arena.ofConfined();
          @ArenaScoped MemorySegment f(Arena a) { return a.allocate(8); }
          @ArenaScoped MemorySegment g() { return arena.allocate(8); }
          @ArenaScoped MemorySegment h(Arena a) {
            MemorySegment s = a.allocateFrom("x");
            return s.asSlice(0, 1);
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void callersOfArenaScopedMethods() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.ArenaScoped;
        class Test {
          static MemorySegment CACHE;
          @ArenaScoped static MemorySegment encode(String s, Arena a) { return a.allocateFrom(s); }
          static long use(MemorySegment s) { return s.byteSize(); }
          long fine() {
            try (var a = Arena.ofConfined()) {
              MemorySegment m = encode("x", a);
              return use(m);
            }
          }
          void kept() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: static field 'CACHE'
              CACHE = encode("x", a);
            }
          }
          MemorySegment passedOn(Arena a) {
            // BUG: Diagnostic contains: not declared @ArenaScoped
            return encode("y", a);
          }
          @ArenaScoped MemorySegment passedOnScoped(Arena a) { return encode("y", a); }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: statics and fields

  @Test
  void staticInitialiserStoresLookupResultsFromClosedArena() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static final MemorySegment STRLEN;
          static final MemorySegment GREETING;
          static {
            try (Arena a = Arena.ofConfined()) {
              SymbolLookup lib = SymbolLookup.libraryLookup("libc.so.6", a);
              // BUG: Diagnostic contains: static field 'STRLEN'
              STRLEN = lib.find("strlen").orElseThrow();
              // BUG: Diagnostic contains: static field 'GREETING'
              GREETING = a.allocateFrom("hello");
            }
          }
        }
        """).doTest();
  }

  @Test
  void storeIntoFieldOfThis() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          MemorySegment last;
          void f(Arena a) {
            // BUG: Diagnostic contains: field 'last' of this object
            this.last = a.allocate(8);
          }
          void g() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: field 'last' of this object
              last = a.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void storeIntoFieldOfAnotherObject() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static class Holder { MemorySegment seg; }
          void f(Holder h) {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: field 'seg' of an object that may outlive the arena
              h.seg = a.allocate(8);
            }
          }
        }
        """).doTest();
  }

  @Test
  void ownerObjectThatClosesItsArenaIsFine() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.ArenaScoped;
        final class Test implements AutoCloseable {
          private final Arena arena = Arena.ofShared();
          private final MemorySegment buffer;
          private MemorySegment scratch;
          @ArenaScoped private MemorySegment view;
          Test() { buffer = arena.allocate(64); }
          void grow() { scratch = arena.allocate(128); }
          void look(Arena other) { view = other.allocate(8); }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void constructorTakingOwnershipOfArenaAndItsSegments() {
    test(helper, """
        import java.lang.foreign.*;
        final class Test implements AutoCloseable {
          private final Arena arena;
          private final MemorySegment[] segments;
          Test(Arena arena, MemorySegment[] segments) {
            this.arena = arena;
            this.segments = segments;
          }
          static Test open(long n) {
            Arena arena = Arena.ofShared();
            return new Test(arena, new MemorySegment[] {arena.allocate(n)});
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void localArenaHandedToAnOwnerField() {
    test(helper, """
        import java.lang.foreign.*;
        final class Test implements AutoCloseable {
          private Arena arena;
          private MemorySegment buffer;
          void open() {
            Arena a = Arena.ofConfined();
            this.arena = a;
            this.buffer = a.allocate(64);
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: containers

  @Test
  void addToCollectionFieldAndArrayAndAtomicsAndThreadLocal() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        import java.util.concurrent.atomic.AtomicReference;
        class Test {
          private final List<MemorySegment> results = new ArrayList<>();
          private static final MemorySegment[] CACHE = new MemorySegment[4];
          private static final AtomicReference<MemorySegment> LAST = new AtomicReference<>();
          private static final ThreadLocal<MemorySegment> TL = new ThreadLocal<>();
          private final Map<String, MemorySegment> byName = new HashMap<>();
          void f() {
            try (var a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is stored in field 'results'
              results.add(seg);
              // BUG: Diagnostic contains: static field 'CACHE'
              CACHE[0] = seg;
              // BUG: Diagnostic contains: static field 'LAST'
              LAST.set(seg);
              // BUG: Diagnostic contains: static field 'TL'
              TL.set(seg);
              // BUG: Diagnostic contains: field 'byName'
              byName.put("x", seg);
            }
          }
        }
        """).doTest();
  }

  @Test
  void localContainersCarryTheirContents() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static Object KEEP;
          List<MemorySegment> list() {
            try (var a = Arena.ofConfined()) {
              List<MemorySegment> out = new ArrayList<>();
              out.add(a.allocate(8));
              // BUG: Diagnostic contains: 'out' (memory of arena 'a')
              return out;
            }
          }
          MemorySegment[] array() {
            try (var a = Arena.ofConfined()) {
              MemorySegment[] out = new MemorySegment[2];
              out[0] = a.allocate(8);
              // BUG: Diagnostic contains: returned past
              return out;
            }
          }
          long inside() {
            try (var a = Arena.ofConfined()) {
              List<MemorySegment> out = new ArrayList<>();
              out.add(a.allocate(8));
              long n = 0;
              for (MemorySegment s : out) { n += s.byteSize(); }
              return n;
            }
          }
          void readBack() {
            try (var a = Arena.ofConfined()) {
              List<MemorySegment> out = new ArrayList<>();
              out.add(a.allocate(8));
              for (MemorySegment s : out) {
                // BUG: Diagnostic contains: static field 'KEEP'
                KEEP = s;
              }
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = out.get(0);
            }
          }
          void callersList(List<MemorySegment> sink) {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: is put into 'sink', which outlives the arena
              sink.add(a.allocate(8));
            }
          }
        }
        """).doTest();
  }

  @Test
  void optionalsStreamsRecordsAndBuffers() {
    test(helper, """
        import java.lang.foreign.*;
        import java.nio.*;
        import java.util.*;
        class Test {
          record Pair(MemorySegment left, MemorySegment right) {}
          static Object KEEP;
          static ByteBuffer BUF;
          void f() {
            try (var a = Arena.ofConfined()) {
              Optional<MemorySegment> o = Optional.of(a.allocate(8));
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = o.orElseThrow();
              Pair p = new Pair(a.allocate(1), a.allocate(2));
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = p.left();
              // BUG: Diagnostic contains: static field 'BUF'
              BUF = a.allocate(8).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = a.allocate(64).elements(ValueLayout.JAVA_INT).toList();
              // Reading primitives and strings copies: nothing is kept.
              KEEP = p.left().get(ValueLayout.JAVA_BYTE, 0);
              KEEP = a.allocateFrom("x").getString(0);
            }
          }
          Pair pair() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: returned past
              return new Pair(a.allocate(1), a.allocate(2));
            }
          }
        }
        """).doTest();
  }

  @Test
  void arenaScopedClassesAreArenaBacked() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.ArenaScoped;
        class Test {
          @ArenaScoped static final class View {
            private final MemorySegment seg;
            View(MemorySegment seg) { this.seg = seg; }
          }
          static final class Wrapper {
            @ArenaScoped private final MemorySegment seg;
            Wrapper(@ArenaScoped MemorySegment seg) { this.seg = seg; }
          }
          View view() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: returned past
              return new View(a.allocate(8));
            }
          }
          Wrapper wrapper() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: returned past
              return new Wrapper(a.allocate(8));
            }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: lambdas

  @Test
  void capturingLambdasThatOutliveTheArena() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          private final List<Runnable> callbacks = new ArrayList<>();
          static Runnable CLEANUP;
          static java.util.function.LongSupplier SIZE;
          static void use(MemorySegment s) {}
          void f() {
            try (var a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: field 'callbacks'
              callbacks.add(() -> seg.get(ValueLayout.JAVA_BYTE, 0));
              // BUG: Diagnostic contains: static field 'CLEANUP'
              CLEANUP = () -> use(seg);
              Runnable local = () -> use(seg);
              local.run();
              List.of(1, 2).forEach(i -> use(seg));
              java.util.function.LongSupplier size = seg::byteSize;
              // BUG: Diagnostic contains: static field 'SIZE'
              SIZE = size;
              Runnable anonymous = new Runnable() { public void run() { use(seg); } };
              // BUG: Diagnostic contains: static field 'CLEANUP'
              CLEANUP = anonymous;
            }
          }
        }
        """).doTest();
  }

  @Test
  void lambdaReturningMemoryOfItsOwnArenaParameterIsFine() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.function.*;
        class Test {
          Function<Arena, MemorySegment> make = arena -> arena.allocate(8);
          Function<MemorySegment, MemorySegment> head = seg -> seg.asSlice(0, 1);
          Supplier<MemorySegment> bad = () -> {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: returned from the lambda
              return a.allocate(8);
            }
          };
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged / not: threads

  @Test
  void sharedArenaValueHandedToAThreadNotAwaited() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.concurrent.*;
        class Test {
          static void use(MemorySegment s) {}
          void notAwaited(ExecutorService executor) {
            try (var a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: handed to another thread
              executor.submit(() -> use(seg));
            }
          }
          void awaited(ExecutorService executor) throws Exception {
            try (var a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              Future<?> f = executor.submit(() -> use(seg));
              f.get();
            }
          }
          void executorClosedInside() {
            try (var a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                executor.submit(() -> use(seg));
              }
            }
          }
          void joined() throws InterruptedException {
            try (var a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              Thread t = new Thread(() -> use(seg));
              t.start();
              t.join();
            }
          }
          void notJoined() {
            try (var a = Arena.ofShared()) {
              MemorySegment seg = a.allocate(8);
              // BUG: Diagnostic contains: handed to another thread
              Thread.startVirtualThread(() -> use(seg));
            }
          }
          void confinedIsAnotherChecksBusiness(ExecutorService executor) {
            try (var a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              executor.submit(() -> use(seg));
            }
          }
          void borrowed(ExecutorService executor, MemorySegment seg) {
            // BUG: Diagnostic contains: handed to another thread
            executor.execute(() -> use(seg));
          }
          void autoIsFine(ExecutorService executor) {
            MemorySegment seg = Arena.ofAuto().allocate(8);
            executor.execute(() -> use(seg));
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- flagged: @OutlivesArena and native retention

  @Test
  void passToOutlivesArenaParameter() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.OutlivesArena;
        class Test {
          static void register(@OutlivesArena MemorySegment s) {}
          void f() {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: whose parameter is declared @OutlivesArena
              register(a.allocate(8));
            }
            // BUG: Diagnostic contains: native code does not count
            register(Arena.ofAuto().allocate(8));
            register(Arena.global().allocate(8));
          }
          void borrowed(MemorySegment s) {
            // BUG: Diagnostic contains: parameter 's' is only borrowed
            register(s);
          }
          void kept(@OutlivesArena MemorySegment s) {
            register(s);
          }
        }
        """).doTest();
  }

  @Test
  void upcallStubFromAutoArenaHandedToNativeCodeThatKeepsIt() throws Exception {
    java.nio.file.Path stub = java.nio.file.Files.createTempFile("native", ".java");
    java.nio.file.Files.writeString(stub, """
        package lib;
        import java.lang.foreign.MemorySegment;
        class Native {
          static void setCallback(@OutlivesArena MemorySegment callback) {}
        }
        """);
    CompilationTestHelper withStub =
        CompilationTestHelper.newInstance(ArenaEscape.class, getClass())
            .setArgs("-XepOpt:ArenaGuard:StubFiles=" + stub);
    withStub
        .addSourceLines("lib/Native.java", """
            package lib;
            import java.lang.foreign.MemorySegment;
            public class Native {
              public static void setCallback(MemorySegment callback) {}
            }
            """.split("\\n"))
        .addSourceLines("Test.java", """
            import java.lang.foreign.*;
            import java.lang.invoke.*;
            class Test {
              static void tick() {}
              void install() throws Exception {
                MethodHandle target = MethodHandles.lookup().findStatic(Test.class, "tick", MethodType.methodType(void.class));
                MemorySegment stub = Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(), Arena.ofAuto());
                // BUG: Diagnostic contains: 'stub' (memory of an automatic arena) is passed to 'setCallback'
                lib.Native.setCallback(stub);
                lib.Native.setCallback(Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(), Arena.global()));
              }
            }
            """.split("\\n"))
        .doTest();
  }

  // ---------------------------------------------------------------- borrowed parameters

  @Test
  void borrowedParametersMayBeUsedAndSlicedButNotKept() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        import dev.arenaguard.annotations.OutlivesArena;
        class Test {
          private MemorySegment kept;
          private static final List<MemorySegment> ALL = new ArrayList<>();
          private MemorySegment fine;
          MemorySegment header(MemorySegment buf) { return buf.asSlice(0, 16); }
          long size(MemorySegment buf) { return buf.byteSize(); }
          void keep(MemorySegment buf) {
            // BUG: Diagnostic contains: parameter 'buf' is only borrowed
            kept = buf;
          }
          void keepAll(MemorySegment buf) {
            // BUG: Diagnostic contains: static field 'ALL'
            ALL.add(buf.asSlice(4));
          }
          void keepOnPurpose(@OutlivesArena MemorySegment buf) { fine = buf; }
          void copy(MemorySegment buf) {
            MemorySegment.copy(buf, 0, fine, 0, buf.byteSize());
          }
        }
        """).doTest();
  }

  @Test
  void recordCanonicalConstructorsStoreTheirComponents() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          record Slice(MemorySegment seg, long offset) {
            Slice(MemorySegment seg, long offset) {
              this.seg = seg;
              this.offset = offset;
            }
          }
          record Compact(MemorySegment seg) {
            Compact { java.util.Objects.requireNonNull(seg); }
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- unbounded arenas

  @Test
  void globalAndAutoMemoryKeptByJavaObjectsIsFine() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static final MemorySegment ONE;
          static final MemorySegment TWO = Arena.ofAuto().allocate(8);
          static final List<MemorySegment> ALL = new ArrayList<>();
          static {
            Arena global = Arena.global();
            ONE = global.allocate(8);
            SymbolLookup lib = SymbolLookup.libraryLookup("libc.so.6", Arena.global());
            ALL.add(lib.find("strlen").orElseThrow());
          }
          MemorySegment auto() { return Arena.ofAuto().allocate(8); }
          MemorySegment leaked() { return Arena.ofConfined().allocate(8); }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- values through locals

  @Test
  void aliasingBranchesLoopsAndReassignment() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment KEEP;
          static final MemorySegment GLOBAL = Arena.global().allocate(8);
          void alias() {
            try (var a = Arena.ofConfined()) {
              MemorySegment s = a.allocate(8);
              MemorySegment t = s;
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = t;
            }
          }
          void branch(boolean c) {
            try (var a = Arena.ofConfined()) {
              MemorySegment s;
              if (c) { s = a.allocate(8); } else { s = GLOBAL; }
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = s;
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = c ? a.allocate(4) : GLOBAL;
            }
          }
          void reassigned() {
            try (var a = Arena.ofConfined()) {
              MemorySegment s = a.allocate(8);
              s.fill((byte) 0);
              s = GLOBAL;
              KEEP = s;
            }
          }
          void loop(int n) {
            try (var a = Arena.ofConfined()) {
              MemorySegment last = GLOBAL;
              for (int i = 0; i < n; i++) {
                last = a.allocate(8);
              }
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = last;
            }
          }
        }
        """).doTest();
  }

  @Test
  void libraryLoadedIntoTryWithResourcesArenaAndReturnedInAWrapper() {
    test(helper, """
        import java.lang.foreign.*;
        import java.lang.invoke.MethodHandle;
        class Test {
          record Lib(MethodHandle strlen) {}
          static Lib load() {
            try (Arena arena = Arena.ofConfined()) {
              SymbolLookup lookup = SymbolLookup.libraryLookup("libc.so.6", arena);
              MethodHandle strlen = Linker.nativeLinker().downcallHandle(
                  lookup.findOrThrow("strlen"), FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
              // BUG: Diagnostic contains: returned past the end of its arena's scope
              return new Lib(strlen);
            }
          }
          static MethodHandle defaultLookupIsUnknownAndFine() {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().findOrThrow("strlen"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
          }
        }
        """).doTest();
  }

  @Test
  void oneDiagnosticPerMistake() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          static final List<MemorySegment> ALL = new ArrayList<>();
          void f() {
            try (var a = Arena.ofConfined()) {
              MemorySegment s = a.allocate(8);
              MemorySegment slice = s.asSlice(0, 4);
              Optional<MemorySegment> o = Optional.of(slice);
              // BUG: Diagnostic contains: static field 'ALL'
              ALL.add(
                  o.get());
            }
          }
        }
        """).doTest();
  }

  @Test
  void suppressible() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment KEEP;
          @SuppressWarnings("ArenaEscape")
          void f() {
            try (var a = Arena.ofConfined()) { KEEP = a.allocate(8); }
          }
        }
        """).doTest();
  }

  @Test
  void contractsOfCompiledLibrariesAreReadFromClassFiles() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.checker.testdata.CompiledParent;
        class Test {
          static MemorySegment KEEP;
          void f(CompiledParent library) {
            try (var a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: whose parameter is declared @OutlivesArena
              library.keep(a.allocate(8));
              // BUG: Diagnostic contains: static field 'KEEP'
              KEEP = library.scoped(a);
              KEEP = library.plain(a);
            }
          }
        }
        """).doTest();
  }

  @Test
  void adviceNamesTheElementThatKeepsTheValue() {
    // A value of the caller's arena kept past the call: the advice names what may be declared
    // @ArenaScoped (the method, the field), and offers none where no annotation can say so.
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.OutlivesArena;
        class Test {
          static MemorySegment cache;
          MemorySegment last;
          @OutlivesArena MemorySegment callback;
          static void register(@OutlivesArena MemorySegment s) {}
          @OutlivesArena
          static MemorySegment returned(Arena arena) {
            // BUG: Diagnostic contains: Keep the value only while the arena is open: declare the method @ArenaScoped instead of @OutlivesArena, or copy the data out
            return arena.allocate(8);
          }
          void stored(Arena arena) {
            // BUG: Diagnostic contains: Keep the value only while the arena is open: declare the field @ArenaScoped, or copy
            last = arena.allocate(8);
            // BUG: Diagnostic contains: declare the field @ArenaScoped instead of @OutlivesArena, or copy
            callback = arena.allocate(8);
          }
          void noAnnotationCanSaySo(Arena arena) {
            // BUG: Diagnostic contains: Keep the value only while the arena is open, or copy the data out
            cache = arena.allocate(8);
            // BUG: Diagnostic contains: Keep the value only while the arena is open, or copy the data out
            register(arena.allocate(8));
          }
        }
        """).doTest();
  }

  @Test
  void fieldsDeclaredOutlivesArenaTakeOnlyHeapAndGlobalMemory() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.OutlivesArena;
        class Test {
          @OutlivesArena MemorySegment callback;
          MemorySegment cache;
          void f() {
            // BUG: Diagnostic contains: which is declared @OutlivesArena
            callback = Arena.ofAuto().allocate(8);
            callback = Arena.global().allocate(8);
            cache = Arena.ofAuto().allocate(8);
          }
        }
        """).doTest();
  }
}
