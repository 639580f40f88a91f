package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Core facts every check sees, shown through {@code ArenaEscape}: named local and anonymous
 * classes capture the locals they use (also inside their own methods), and an object's own
 * fields read back hold memory of its own arena (SPEC §2.0.6, §2.0.2).
 */
class CapturesAndFieldsTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ArenaEscape.class, getClass());

  @Test
  void namedLocalAndAnonymousClassesCaptureLocals() {
    test(helper, """
        import static java.lang.foreign.ValueLayout.JAVA_BYTE;
        import java.lang.foreign.*;
                class Test {
          static Runnable TASK;
          static MemorySegment KEEP;
          void f() {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment seg = a.allocate(8);
              class Reader implements Runnable {
                public void run() { seg.get(JAVA_BYTE, 0); }
              }
              // BUG: Diagnostic contains: is stored in static field 'TASK'
              TASK = new Reader();
              Runnable local = new Reader();
              local.run();
              class Keeper {
                void keep() {
                  // BUG: Diagnostic contains: 'seg' (memory of arena 'a') is stored in static field 'KEEP'
                  KEEP = seg;
                }
              }
              Runnable anonymous = new Runnable() {
                public void run() {
                  // BUG: Diagnostic contains: is stored in static field 'KEEP'
                  KEEP = seg;
                  // A lambda in the anonymous class captures it in turn.
                  // BUG: Diagnostic contains: is stored in static field 'TASK'
                  TASK = () -> seg.byteSize();
                }
              };
              // Using captured memory inside the class is fine.
              new Object() { long size() { return seg.byteSize(); } }.size();
            }
          }
        }
        """).doTest();
  }

  @Test
  void ownFieldsReadBackHoldTheOwnersArenaMemory() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.ArenaScoped;
        import dev.arenaguard.annotations.OutlivesArena;
        class Owner implements AutoCloseable {
          static MemorySegment CACHE;
          static void register(@OutlivesArena MemorySegment callback) {}
          private final Arena arena = Arena.ofConfined();
          private final MemorySegment header = arena.allocate(16);
          private final MemorySegment automatic = Arena.ofAuto().allocate(16);
          private final MemorySegment given;
          private MemorySegment mixed;
          private MemorySegment last;
          Owner(@OutlivesArena MemorySegment given) {
            this.given = given;
            this.mixed = given;
          }
          void refresh() {
            mixed = arena.allocate(8);
            // Its own segments in its own fields: not an escape (SPEC §2.0.6).
            last = header;
          }
          // BUG: Diagnostic contains: 'header' (memory of arena field 'arena') is returned from 'header', which is not declared @ArenaScoped
          MemorySegment header() { return header; }
          @ArenaScoped MemorySegment scopedHeader() { return header; }
          void leak() {
            // BUG: Diagnostic contains: is stored in static field 'CACHE'
            CACHE = header;
          }
          void toNative() {
            // An automatic arena's memory handed to native code that keeps it (SPEC §2.0.4).
            // BUG: Diagnostic contains: whose parameter is declared @OutlivesArena
            register(automatic);
          }
          // BUG: Diagnostic contains: 'other.header' (memory of arena field 'arena' (of another object)) is returned from 'peek'
          static MemorySegment peek(Owner other) { return other.header; }
          // Written with memory of unknown origin (a parameter that outlives arenas): not
          // arena-backed when read.
          MemorySegment given() { return given; }
          MemorySegment mixed() { return mixed; }
          public void close() { arena.close(); }
        }
        """).doTest();
  }

  @Test
  void fieldsThatStartNullOrHoldConstantsStillHoldTheOwnersArenaMemory() {
    // A write that cannot be arena memory (null, MemorySegment.NULL, a static final constant, a
    // heap segment, an @OutlivesArena value) leaves what the field holds known: only the owner's
    // memory. A write of a parameter, a local or an unmodelled call's result still makes it unknown.
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.annotations.OutlivesArena;
        class Owner implements AutoCloseable {
          static MemorySegment CACHE;
          private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
          @OutlivesArena private final MemorySegment permanent = Arena.global().allocate(8);
          private final Arena arena = Arena.ofConfined();
          private MemorySegment last = null;
          private MemorySegment current = MemorySegment.NULL;
          private MemorySegment heap = MemorySegment.ofArray(new long[4]);
          private MemorySegment empty;
          private MemorySegment given = null;
          private MemorySegment local = null;
          private MemorySegment unmodelled = null;
          void next(long n) {
            last = arena.allocate(n);
            current = n > 0 ? arena.allocate(n) : MemorySegment.NULL;
            heap = arena.allocate(n);
            empty = n > 0 ? arena.allocate(n) : (MemorySegment) EMPTY;
            given = arena.allocate(n);
            local = arena.allocate(n);
            unmodelled = arena.allocate(n);
          }
          void clear(boolean all) {
            last = null;
            current = MemorySegment.NULL;
            empty = all ? EMPTY : permanent;
          }
          void set(@OutlivesArena MemorySegment s) {
            given = s;
          }
          void copy() {
            MemorySegment none = null;
            local = none;
            unmodelled = lookup();
          }
          static MemorySegment lookup() { return MemorySegment.NULL; }
          // BUG: Diagnostic contains: 'last' (memory of arena field 'arena') is returned from 'last', which is not declared @ArenaScoped
          MemorySegment last() { return last; }
          // BUG: Diagnostic contains: 'current' (memory of arena field 'arena') is returned
          MemorySegment current() { return current; }
          // BUG: Diagnostic contains: 'heap' (memory of arena field 'arena') is returned
          MemorySegment heap() { return heap; }
          // BUG: Diagnostic contains: 'empty' (memory of arena field 'arena') is returned
          MemorySegment empty() { return empty; }
          void leak() {
            // BUG: Diagnostic contains: 'last' (memory of arena field 'arena') is stored in static field 'CACHE'
            CACHE = last;
          }
          // May hold memory of unknown origin: not arena-backed when read (SPEC 2.0.2).
          MemorySegment given() { return given; }
          MemorySegment local() { return local; }
          MemorySegment unmodelled() { return unmodelled; }
          public void close() { arena.close(); }
        }
        """).doTest();
  }
}
