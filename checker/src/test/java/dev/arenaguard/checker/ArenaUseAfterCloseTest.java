package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** SPEC §2.4: memory used after its arena is closed or reset, flow-sensitively within a method. */
class ArenaUseAfterCloseTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaUseAfterClose.class, getClass());

  // ---------------------------------------------------------------- flagged

  @Test
  void useAfterExplicitClose() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is used after 'a' is closed at line 7
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void useAfterReset() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          void f(BumpArena arena) {
            MemorySegment old = arena.allocate(8);
            arena.reset();
            // BUG: Diagnostic contains: 'old' (memory of parameter arena 'arena') is used after 'arena' is reset at line 7
            use(old);
          }
          void use(MemorySegment s) {}
        }
        """).doTest();
  }

  @Test
  void valueAssignedInPhaseReadAfterTheBlock() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_LONG;
        class Test implements AutoCloseable {
          private final BumpArena arena = BumpArena.ofConfined("rows");
          long f() {
            MemorySegment row;
            try (Phase p = arena.phase()) {
              row = arena.allocate(16);
              row.set(JAVA_LONG, 0, 42L);
            }
            // BUG: Diagnostic contains: the phase of 'arena' ends at line 11
            return row.get(JAVA_LONG, 0);
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void useAfterTryWithResourcesBlock() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_BYTE;
        class Test {
          byte f() {
            MemorySegment kept;
            try (Arena a = Arena.ofConfined()) {
              kept = a.allocate(8);
            }
            // BUG: Diagnostic contains: 'a' is closed at line 8, the end of its try-with-resources block
            return kept.get(JAVA_BYTE, 0);
          }
        }
        """).doTest();
  }

  @Test
  void sliceDerivedBeforeTheClose() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofShared();
            MemorySegment seg = a.allocate(64);
            MemorySegment header = seg.asSlice(0, 16);
            a.close();
            // BUG: Diagnostic contains: 'header' (memory of arena 'a')
            return header.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void sliceDerivedAfterTheCloseIsReportedAtItsUse() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofShared();
            MemorySegment seg = a.allocate(64);
            a.close();
            MemorySegment header = seg.asSlice(0, 16);
            // BUG: Diagnostic contains: 'header' (memory of arena 'a') is used after 'a' is closed at line 7
            return header.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void aliasOfTheValueAndOfTheArena() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            Arena same = a;
            MemorySegment seg = a.allocate(8);
            MemorySegment alias = seg;
            same.close();
            // BUG: Diagnostic contains: 'alias' (memory of arena 'a') is used after 'same' is closed at line 9
            return alias.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void closedOnOnePathOnly() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f(boolean done) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            if (done) {
              a.close();
            }
            // BUG: Diagnostic contains: is used after 'a' is closed at line 8 on some paths
            int v = seg.get(JAVA_INT, 0);
            if (!done) {
              a.close();
            }
            return v;
          }
        }
        """).doTest();
  }

  @Test
  void closeAtLoopEndUseAtNextIteration() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          void f(int n) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            for (int i = 0; i < n; i++) {
              // BUG: Diagnostic contains: is used after 'a' is closed at line 10 on some paths
              seg.set(JAVA_INT, 0, i);
              a.close();
            }
          }
        }
        """).doTest();
  }

  @Test
  void closingTheParentFreesTheChild() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            BumpArena parent = BumpArena.ofConfined("parent");
            BumpArena child = parent.newChild("child");
            MemorySegment seg = child.allocate(8);
            parent.close();
            // BUG: Diagnostic contains: 'seg' (memory of arena 'child') is used after 'parent' is closed at line 9 (closing an arena closes its child arenas
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void closingTheChildFreesOnlyTheChild() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            try (BumpArena parent = BumpArena.ofConfined("parent")) {
              BumpArena child = parent.newChild("child");
              MemorySegment own = parent.allocate(8);
              MemorySegment scratch = child.allocate(8);
              child.close();
              int ok = own.get(JAVA_INT, 0);
              // BUG: Diagnostic contains: 'scratch' (memory of arena 'child') is used after 'child' is closed at line 10
              return ok + scratch.get(JAVA_INT, 0);
            }
          }
        }
        """).doTest();
  }

  @Test
  void allocatingFromAClosedArena() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f() {
            Arena a = Arena.ofConfined();
            a.close();
            // BUG: Diagnostic contains: arena 'a' is used after 'a' is closed at line 5
            a.allocate(8);
          }
        }
        """).doTest();
  }

  @Test
  void resettingAFieldArenaFreesWhatAMethodAllocated() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test implements AutoCloseable {
          private final BumpArena arena = BumpArena.ofConfined("scratch");
          int f() {
            MemorySegment seg = arena.allocate(8);
            arena.reset();
            // BUG: Diagnostic contains: 'seg' (memory of arena field 'arena') is used after 'arena' is reset at line 8
            return seg.get(JAVA_INT, 0);
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void containersAndRecordsHoldingFreedMemory() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          record Row(MemorySegment data, int id) {}
          int f() {
            List<MemorySegment> segs = new ArrayList<>();
            Row row;
            try (Arena a = Arena.ofConfined()) {
              segs.add(a.allocate(8));
              row = new Row(a.allocate(8), 1);
            }
            int n = segs.size() + row.id();
            // BUG: Diagnostic contains: 'segs' (memory of arena 'a')
            n += segs.get(0).get(JAVA_INT, 0);
            // BUG: Diagnostic contains: 'row' (memory of arena 'a')
            return n + row.data().get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void passingFreedMemoryToACallee() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f(MemorySegment dst) {
            Arena a = Arena.ofConfined();
            MemorySegment src = a.allocate(8);
            a.close();
            // BUG: Diagnostic contains: 'src' (memory of arena 'a') is used after 'a' is closed
            MemorySegment.copy(src, 0, dst, 0, 8);
          }
        }
        """).doTest();
  }

  @Test
  void whatThrowsOnAClosedSegmentIsAUse() {
    // Each of these throws IllegalStateException: Already closed on JDK 25.
    test(helper, """
        import static java.lang.foreign.ValueLayout.JAVA_BYTE;
        import java.lang.foreign.*;
        import java.nio.ByteBuffer;
        import java.util.function.Consumer;
        class Test {
          static void use(MemorySegment s) {}
          void f(MemorySegment live, Consumer<MemorySegment> consumer) {
            Arena a = Arena.ofConfined();
            MemorySegment s1 = a.allocate(8), s2 = a.allocate(8), s3 = a.allocate(8), s4 = a.allocate(8);
            MemorySegment s5 = a.allocate(8), s6 = a.allocate(8), s7 = a.allocate(8), s8 = a.allocate(8);
            MemorySegment s9 = a.allocate(8);
            ByteBuffer b1 = a.allocate(8).asByteBuffer(), b2 = a.allocate(8).asByteBuffer();
            a.close();
            // BUG: Diagnostic contains: 's1' (memory of arena 'a') is used after 'a' is closed
            use(s1);
            // A generic callee sees a segment: Consumer<MemorySegment>.accept reads it.
            // BUG: Diagnostic contains: 's2' (memory of arena 'a') is used
            consumer.accept(s2);
            // BUG: Diagnostic contains: 's3' (memory of arena 'a') is used
            live.copyFrom(s3);
            // BUG: Diagnostic contains: 's4' (memory of arena 'a') is used
            live.mismatch(s4);
            // BUG: Diagnostic contains: 's5' (memory of arena 'a') is used
            s5.fill((byte) 0);
            // BUG: Diagnostic contains: 's6' (memory of arena 'a') is used
            s6.toArray(JAVA_BYTE);
            // Fluent writes and a resize are accesses, used or not.
            // BUG: Diagnostic contains: 's7' (memory of arena 'a') is used
            MemorySegment zeroed = s7.fill((byte) 0);
            // BUG: Diagnostic contains: 's8' (memory of arena 'a') is used
            s8.asSlice(0, 4).reinterpret(16);
            // Does not throw: it makes freed memory look alive, which is worse.
            // BUG: Diagnostic contains: 's9' (memory of arena 'a') is used
            MemorySegment revived = s9.reinterpret(Arena.global(), null);
            // BUG: Diagnostic contains: 'b1' (memory of arena 'a') is used
            b1.get(0);
            // A buffer's hashCode reads its contents.
            // BUG: Diagnostic contains: 'b2' (memory of arena 'a') is used
            b2.hashCode();
          }
        }
        """).doTest();
  }

  @Test
  void whatDoesNotThrowOnAClosedSegmentIsNoUse() {
    // None of these throws on JDK 25: they read the segment's or buffer's bookkeeping, or call
    // Object's methods, which a segment implements without its memory.
    test(helper, """
        import java.lang.foreign.*;
        import java.nio.ByteBuffer;
        import java.util.*;
        class Test {
          String f(MemorySegment live, Map<MemorySegment, String> names) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            ByteBuffer buf = seg.asByteBuffer();
            a.close();
            System.out.println(seg);
            System.out.printf("%s%n", seg);
            StringBuilder text = new StringBuilder().append(seg).append(String.valueOf(seg));
            text.append(String.format("%s at %d", seg, seg.address()));
            boolean same = Objects.equals(seg, live) || seg.equals(live) || live.equals(seg);
            int hash = seg.hashCode() + Objects.hash(seg) + Objects.hashCode(seg);
            String name = names.get(seg) + seg.toString() + seg;
            long size = seg.byteSize() + seg.maxByteAlignment() + (seg.isNative() ? 1 : 0);
            boolean alive = seg.scope().isAlive() || seg.isAccessibleBy(Thread.currentThread());
            int left = buf.remaining() + buf.position() + buf.capacity();
            // Views of freed memory, used only for their bookkeeping.
            MemorySegment header = seg.asSlice(0, 4);
            long views = header.byteSize() + buf.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).remaining();
            return text + name + same + hash + size + alive + left + views + buf.order() + buf;
          }
        }
        """).doTest();
  }

  @Test
  void aStubMayDeclareThatACallAccessesNoMemory() throws Exception {
    java.nio.file.Path stub = java.nio.file.Files.createTempFile("trace", ".java");
    java.nio.file.Files.writeString(stub, """
        package lib;
        import java.lang.foreign.MemorySegment;
        class Trace {
          @NoAccess static void segment(String what, MemorySegment segment);
        }
        """);
    CompilationTestHelper.newInstance(ArenaUseAfterClose.class, getClass())
        .setArgs("-XepOpt:ArenaGuard:StubFiles=" + stub)
        .addSourceLines("lib/Trace.java", """
            package lib;
            import java.lang.foreign.MemorySegment;
            public class Trace {
              public static void segment(String what, MemorySegment segment) {
                System.err.println(what + ": " + segment.address() + ", " + segment.byteSize() + " bytes");
              }
              public static void contents(MemorySegment segment) {}
            }
            """.split("\\n"))
        .addSourceLines("Test.java", """
            import java.lang.foreign.*;
            class Test {
              void f() {
                Arena a = Arena.ofConfined();
                MemorySegment seg = a.allocate(8);
                a.close();
                lib.Trace.segment("freed", seg);
                // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is used after 'a' is closed
                lib.Trace.contents(seg);
              }
            }
            """.split("\\n"))
        .doTest();
  }

  @Test
  void lambdaCreatedAfterTheCloseCapturesFreedMemory() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.function.IntSupplier;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is used after 'a' is closed at line 8
            IntSupplier read = () -> seg.get(JAVA_INT, 0);
            return read.getAsInt();
          }
        }
        """).doTest();
  }

  @Test
  void onlyTheFirstUseIsReported() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            // BUG: Diagnostic contains: ArenaUseAfterClose
            int x = seg.get(JAVA_INT, 0);
            return x + seg.get(JAVA_INT, 4);
          }
        }
        """).doTest();
  }

  @Test
  void useAfterTryWithResourcesOnAnExistingVariable() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            try (a) {
              seg.set(JAVA_INT, 0, 1);
            }
            // BUG: Diagnostic contains: 'a' is closed at line 9, the end of its try-with-resources block
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void useAfterACloseInFinally() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            try {
              seg.set(JAVA_INT, 0, 1);
            } finally {
              a.close();
            }
            // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is used after 'a' is closed at line 10:
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }

  @Test
  void insideALambda() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.function.IntSupplier;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          IntSupplier f() {
            return () -> {
              Arena a = Arena.ofConfined();
              MemorySegment seg = a.allocate(8);
              a.close();
              // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is used after 'a' is closed at line 9
              return seg.get(JAVA_INT, 0);
            };
          }
        }
        """).doTest();
  }

  // ---------------------------------------------------------------- not flagged

  @Test
  void catchAfterACloseThatMayItselfFail() {
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          void f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            try {
              process(seg);
              a.close();
            } catch (RuntimeException e) {
              report(seg);
              throw e;
            }
          }
          void process(MemorySegment s) {}
          void report(MemorySegment s) {}
        }
        """).doTest();
  }

  @Test
  void useBeforeClose() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            int v = seg.get(JAVA_INT, 0);
            a.close();
            return v;
          }
          int g() {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              return seg.get(JAVA_INT, 0);
            }
          }
        }
        """).doTest();
  }

  @Test
  void freshValueAfterTheCloseOrReset() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f(BumpArena arena) {
            MemorySegment seg = arena.allocate(8);
            arena.reset();
            seg = arena.allocate(8);
            return seg.get(JAVA_INT, 0);
          }
          int g() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            a = Arena.ofConfined();
            seg = a.allocate(8);
            int v = seg.get(JAVA_INT, 0);
            a.close();
            return v;
          }
        }
        """).doTest();
  }

  @Test
  void arenaRecreatedPerIteration() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          long f(int n) {
            long sum = 0;
            MemorySegment last = null;
            for (int i = 0; i < n; i++) {
              try (Arena a = Arena.ofConfined()) {
                last = a.allocate(8);
                last.set(JAVA_INT, 0, i);
                sum += last.get(JAVA_INT, 0);
              }
            }
            return sum;
          }
          void perIterationReset(dev.arenaguard.runtime.BumpArena arena, int n) {
            for (int i = 0; i < n; i++) {
              arena.reset();
              MemorySegment row = arena.allocate(8);
              row.set(JAVA_INT, 0, i);
            }
          }
        }
        """).doTest();
  }

  @Test
  void copiedOutBeforeTheClose() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.*;
        class Test {
          byte[] f() {
            byte[] data;
            int first;
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              data = seg.toArray(JAVA_BYTE);
              first = seg.get(JAVA_INT, 0);
            }
            return first == 0 ? data : new byte[0];
          }
        }
        """).doTest();
  }

  @Test
  void noMemoryAccessAfterTheClose() {
    test(helper, """
        import java.lang.foreign.*;
        import java.util.*;
        class Test {
          long f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            List<MemorySegment> all = new ArrayList<>(List.of(seg));
            a.close();
            boolean same = seg == null;
            all.clear();
            return seg.byteSize() + all.size() + (same ? 1 : 0);
          }
        }
        """).doTest();
  }

  @Test
  void globalAndAutoMemoryAndOtherArenasAreUnaffected() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f() {
            MemorySegment g = Arena.global().allocate(8);
            MemorySegment auto = Arena.ofAuto().allocate(8);
            Arena a = Arena.ofConfined();
            Arena b = Arena.ofConfined();
            MemorySegment other = b.allocate(8);
            a.close();
            int v = g.get(JAVA_INT, 0) + auto.get(JAVA_INT, 0) + other.get(JAVA_INT, 0);
            b.close();
            return v;
          }
        }
        """).doTest();
  }

  @Test
  void returningFreedMemoryIsArenaEscapes() {
    // SPEC §2.0.1: a value of an arena the method closes, returned, is ArenaEscape at the return.
    test(helper, """
        import java.lang.foreign.*;
        class Test {
          static MemorySegment cache;
          MemorySegment f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            cache = seg;
            return seg.asSlice(0, 4);
          }
        }
        """).doTest();
  }

  @Test
  void closedOnAnotherPathOnly() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          int f(boolean fail) {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            if (fail) {
              a.close();
              return -1;
            }
            int v = seg.get(JAVA_INT, 0);
            a.close();
            return v;
          }
        }
        """).doTest();
  }

  @Test
  void phaseValuesInsideThePhaseAndArenaValuesAfterIt() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test implements AutoCloseable {
          private final BumpArena arena = BumpArena.ofConfined("work");
          int f() {
            MemorySegment outer = arena.allocate(8);
            int v;
            try (Phase p = arena.phase()) {
              MemorySegment row = arena.allocate(8);
              v = row.get(JAVA_INT, 0);
            }
            return v + outer.get(JAVA_INT, 0);
          }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void suppressed() {
    test(helper, """
        import java.lang.foreign.*;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        class Test {
          @SuppressWarnings("ArenaUseAfterClose")
          int f() {
            Arena a = Arena.ofConfined();
            MemorySegment seg = a.allocate(8);
            a.close();
            return seg.get(JAVA_INT, 0);
          }
        }
        """).doTest();
  }
}
