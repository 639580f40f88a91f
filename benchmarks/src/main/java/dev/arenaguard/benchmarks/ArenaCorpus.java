package dev.arenaguard.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates an arena-dense corpus for the checker's compile-time benchmark: Java sources that
 * allocate, pass, store and return {@code MemorySegment}s the way FFM bindings (jextract output) and
 * the code calling them do — struct layouts and accessors, downcall wrappers, allocators taking a
 * {@code SegmentAllocator}, slices of borrowed parameters, owner objects that close their arena,
 * records of segments, shared arenas whose tasks are awaited, runtime-library phases.
 *
 * <p>The code is correct under SPEC §2 except for planted bugs, one in every {@value
 * #BUG_EVERY} classes (an escape, a use after close, an arena never closed, a long-lived owner,
 * in turn), each expected diagnostic marked {@code // BUG: <CheckName>} on its line so that a run
 * can compare the checker's findings with them. It needs {@code arena-guard-annotations} and {@code
 * arena-guard-runtime} on the class path and compiles with javac 25; it is never run.
 *
 * <pre>
 * java -cp benchmarks/target/classes dev.arenaguard.benchmarks.ArenaCorpus OUT_DIR classes N
 * java -cp benchmarks/target/classes dev.arenaguard.benchmarks.ArenaCorpus OUT_DIR method STATEMENTS [METHODS]
 * </pre>
 */
public final class ArenaCorpus {
  /** One class in this many has a planted bug. */
  static final int BUG_EVERY = 25;

  private static final int CLASSES_PER_PACKAGE = 50;

  private ArenaCorpus() {}

  public static void main(String[] args) throws IOException {
    boolean classes = args.length == 3 && args[1].equals("classes");
    boolean method = (args.length == 3 || args.length == 4) && args[1].equals("method");
    if (!classes && !method) {
      System.err.println(
          "usage: ArenaCorpus OUT_DIR classes N | ArenaCorpus OUT_DIR method STATEMENTS [METHODS]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int n = Integer.parseInt(args[2]);
    List<Path> files =
        classes
            ? writeClasses(out, n)
            : List.of(writeMethods(out, n, args.length == 4 ? Integer.parseInt(args[3]) : 1));
    System.out.printf(Locale.ROOT, "%d files, %d diagnostics expected from planted bugs, in %s%n",
        files.size(), classes ? plantedDiagnostics(n) : 0, out);
  }

  /**
   * The planted bugs, one per kind, in turn. Each diagnostic expected is marked on its line; the
   * long-lived owner is reported twice, at the field and at the allocation (SPEC §2.0.1).
   */
  private static final String[] PLANTED = {
    """

      // Planted: the segment outlives the try-with-resources that closes its arena.
      public static MemorySegment leaked() {
        try (Arena arena = Arena.ofConfined()) {
          MemorySegment p = newPoint(arena, 1, 2);
          return p; // BUG: ArenaEscape
        }
      }
    """,
    """

      // Planted: a read after the arena's close.
      public static long usedAfterClose() {
        MemorySegment s;
        try (Arena arena = Arena.ofConfined()) {
          s = arena.allocate(JAVA_LONG);
        }
        return s.get(JAVA_LONG, 0); // BUG: ArenaUseAfterClose
      }
    """,
    """

      // Planted: a local arena that no path closes.
      public static long neverClosed(int n) {
        Arena arena = Arena.ofConfined(); // BUG: ArenaNotClosed
        MemorySegment s = arena.allocate(JAVA_LONG, n);
        return s.byteSize();
      }
    """,
    """

      // Planted: a static arena that every call allocates into; closing it at shutdown does not
      // bound its growth.
      private static final Arena REMEMBERED = Arena.ofShared(); // BUG: ArenaLongLivedOwner

      public static void remember(int value) {
        REMEMBERED.allocate(JAVA_INT).set(JAVA_INT, 0, value); // BUG: ArenaLongLivedOwner
      }

      public static void shutdown() {
        REMEMBERED.close();
      }
    """,
  };

  /** The diagnostics the planted bugs of a corpus of {@code classes} classes should give. */
  static int plantedDiagnostics(int classes) {
    int n = 0;
    for (int i = 0; i < classes; i += BUG_EVERY) {
      n += (int) PLANTED[(i / BUG_EVERY) % PLANTED.length].lines().filter(l -> l.contains("// BUG: ")).count();
    }
    return n;
  }

  /** Writes {@code count} binding classes (and the shared helper) under {@code out}. */
  static List<Path> writeClasses(Path out, int count) {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String pkg = "corpus.p" + (i / CLASSES_PER_PACKAGE);
      files.add(write(out, pkg, "Binding" + i, bindingClass(pkg, i)));
    }
    return files;
  }

  /** Writes one class with {@code methods} methods of {@code statements} statements each. */
  static Path writeMethods(Path out, int statements, int methods) {
    String name = "LongMethod" + statements + "x" + methods;
    return write(out, "corpus.scale", name, longMethods(name, statements, methods));
  }

  private static Path write(Path out, String pkg, String name, String source) {
    try {
      Path dir = out.resolve(pkg.replace('.', '/'));
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".java");
      Files.writeString(file, source);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String bindingClass(String pkg, int i) {
    String c = "Binding" + i;
    StringBuilder s = new StringBuilder();
    s.append(
        """
        package %1$s;

        import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
        import static java.lang.foreign.ValueLayout.ADDRESS;
        import static java.lang.foreign.ValueLayout.JAVA_BYTE;
        import static java.lang.foreign.ValueLayout.JAVA_INT;
        import static java.lang.foreign.ValueLayout.JAVA_LONG;

        import dev.arenaguard.annotations.ArenaScoped;
        import dev.arenaguard.runtime.BumpArena;
        import dev.arenaguard.runtime.Phase;
        import java.lang.foreign.Arena;
        import java.lang.foreign.FunctionDescriptor;
        import java.lang.foreign.Linker;
        import java.lang.foreign.MemoryLayout;
        import java.lang.foreign.MemorySegment;
        import java.lang.foreign.SegmentAllocator;
        import java.lang.foreign.StructLayout;
        import java.lang.invoke.MethodHandle;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.concurrent.ExecutorService;
        import java.util.concurrent.Executors;
        import java.util.concurrent.Future;
        import java.util.function.Consumer;

        /** Generated binding number %2$d: a struct, a downcall and code that uses them. */
        public final class %3$s {
          private %3$s() {}

          public static final StructLayout LAYOUT =
              MemoryLayout.structLayout(
                      JAVA_INT.withName("x"), JAVA_INT.withName("y"), JAVA_LONG.withName("tag"))
                  .withName("point%2$d");
          private static final long X_OFFSET = LAYOUT.byteOffset(groupElement("x"));
          private static final long Y_OFFSET = LAYOUT.byteOffset(groupElement("y"));
          private static final long TAG_OFFSET = LAYOUT.byteOffset(groupElement("tag"));

          private static final MethodHandle STRLEN =
              Linker.nativeLinker()
                  .downcallHandle(
                      Linker.nativeLinker().defaultLookup().find("strlen").orElseThrow(),
                      FunctionDescriptor.of(JAVA_LONG, ADDRESS));

          public static int x(MemorySegment struct) {
            return struct.get(JAVA_INT, X_OFFSET);
          }

          public static void x(MemorySegment struct, int value) {
            struct.set(JAVA_INT, X_OFFSET, value);
          }

          public static int y(MemorySegment struct) {
            return struct.get(JAVA_INT, Y_OFFSET);
          }

          public static void y(MemorySegment struct, int value) {
            struct.set(JAVA_INT, Y_OFFSET, value);
          }

          public static long tag(MemorySegment struct) {
            return struct.get(JAVA_LONG, TAG_OFFSET);
          }

          public static void tag(MemorySegment struct, long value) {
            struct.set(JAVA_LONG, TAG_OFFSET, value);
          }

          @ArenaScoped
          public static MemorySegment allocate(SegmentAllocator allocator) {
            return allocator.allocate(LAYOUT);
          }

          @ArenaScoped
          public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
            return allocator.allocate(MemoryLayout.sequenceLayout(count, LAYOUT));
          }

          public static MemorySegment asSlice(MemorySegment array, long index) {
            return array.asSlice(LAYOUT.byteSize() * index, LAYOUT);
          }

          @ArenaScoped
          public static MemorySegment reinterpret(
              MemorySegment address, Arena arena, Consumer<MemorySegment> cleanup) {
            return address.reinterpret(LAYOUT.byteSize(), arena, cleanup);
          }

          public static long strlen(MemorySegment string) {
            try {
              return (long) STRLEN.invokeExact(string);
            } catch (Throwable t) {
              throw new AssertionError("strlen", t);
            }
          }

          @ArenaScoped
          public static MemorySegment newPoint(Arena arena, int x, int y) {
            MemorySegment p = allocate(arena);
            x(p, x);
            y(p, y);
            tag(p, %2$dL);
            return p;
          }

          public static long sumPoints(int n) {
            try (Arena arena = Arena.ofConfined()) {
              MemorySegment points = allocateArray(n, arena);
              for (int k = 0; k < n; k++) {
                MemorySegment p = asSlice(points, k);
                x(p, k);
                y(p, 2 * k);
              }
              long sum = 0;
              for (int k = 0; k < n; k++) {
                MemorySegment p = asSlice(points, k);
                sum += x(p) + y(p);
              }
              return sum;
            }
          }

          public static String roundTrip(String text) {
            try (Arena arena = Arena.ofConfined()) {
              MemorySegment c = arena.allocateFrom(text);
              long length = strlen(c);
              return c.getString(0) + ":" + length;
            }
          }

          public static byte[] copyOut(Arena arena, int n) {
            MemorySegment buffer = arena.allocate(n);
            buffer.fill((byte) %4$d);
            return buffer.toArray(JAVA_BYTE);
          }

          public static MemorySegment header(MemorySegment buffer) {
            return buffer.asSlice(0, 8);
          }

          record Pair(MemorySegment first, MemorySegment second) {
            long sum() {
              return first.get(JAVA_LONG, 0) + second.get(JAVA_LONG, 0);
            }
          }

          public static long pairs(int n) {
            try (Arena arena = Arena.ofConfined()) {
              List<Pair> pairs = new ArrayList<>();
              for (int k = 0; k < n; k++) {
                Pair p = new Pair(arena.allocate(JAVA_LONG), arena.allocate(JAVA_LONG));
                p.first().set(JAVA_LONG, 0, k);
                pairs.add(p);
              }
              long total = 0;
              for (Pair p : pairs) {
                total += p.sum();
              }
              return total;
            }
          }

          public static long parallel() throws Exception {
            try (Arena arena = Arena.ofShared();
                ExecutorService executor = Executors.newFixedThreadPool(2)) {
              MemorySegment counters = arena.allocate(JAVA_LONG, 2);
              Future<?> task = executor.submit(() -> counters.set(JAVA_LONG, 0, %2$d));
              task.get();
              return counters.get(JAVA_LONG, 0);
            }
          }

          public static long phases(BumpArena arena, int rows) {
            long total = 0;
            for (int r = 0; r < rows; r++) {
              try (Phase row = arena.phase()) {
                MemorySegment p = newPoint(arena, r, r + 1);
                MemorySegment h = header(p);
                total += h.get(JAVA_LONG, 0) + tag(p);
              }
            }
            return total;
          }

          /**
           * Owns its arena: closes it, so the segments kept in its fields are not escapes.
           * Package-private and used by one thread, so a confined arena is right (a public type
           * would be ArenaThreadConfinement: other threads may reach it).
           */
          static final class Context implements AutoCloseable {
            private final Arena arena = Arena.ofConfined();
            private final MemorySegment origin = allocate(arena);
            private MemorySegment last;

            public void move(int dx, int dy) {
              last = newPoint(arena, x(origin) + dx, y(origin) + dy);
              x(origin, x(last));
            }

            public int lastX() {
              return last == null ? 0 : x(last);
            }

            @Override
            public void close() {
              arena.close();
            }
          }

          public static int useContext(int moves) {
            try (Context context = new Context()) {
              for (int k = 0; k < moves; k++) {
                context.move(k, -k);
              }
              return context.lastX();
            }
          }
        """
            .formatted(pkg, i, c, i % 128));
    if (i % BUG_EVERY == 0) {
      s.append(PLANTED[(i / BUG_EVERY) % PLANTED.length]);
    }
    s.append("}\n");
    return s.toString();
  }

  /**
   * A class with {@code methods} methods {@code run0, run1, ...} of {@code statements} statements
   * each over a borrowed arena: allocations, slices, calls, aliasing and branches, cycling through
   * eight shapes. Few locals, so that a method stays under the JVM's 64 KiB code limit at 5,000
   * statements.
   */
  static String longMethods(String name, int statements, int methods) {
    StringBuilder s = new StringBuilder();
    s.append(
        """
        package corpus.scale;

        import static java.lang.foreign.ValueLayout.JAVA_BYTE;

        import java.lang.foreign.Arena;
        import java.lang.foreign.MemorySegment;

        /** Generated: %1$d methods of %2$d statements. */
        public final class %3$s {
          private %3$s() {}

          static long use(MemorySegment s) {
            return s.byteSize();
          }

          static long use(MemorySegment s, MemorySegment t) {
            return s.byteSize() + t.byteSize();
          }
        """
            .formatted(methods, statements, name));
    String[] shapes = {
      "a = arena.allocate(8);",
      "b = a.asSlice(0, 4);",
      "use(b);",
      "c = arena.allocate(16);",
      "use(a, c);",
      "a = c;",
      "if (b.byteSize() > 2) c = b;",
      "c.set(JAVA_BYTE, 0, (byte) 1);",
    };
    for (int m = 0; m < methods; m++) {
      s.append("\n  public static void run").append(m).append("(Arena arena) {\n");
      s.append("    MemorySegment a = arena.allocate(8);\n");
      s.append("    MemorySegment b = a;\n");
      s.append("    MemorySegment c = a;\n");
      for (int k = 3; k < statements; k++) { // the three declarations count
        s.append("    ").append(shapes[k % shapes.length]).append('\n');
      }
      s.append("  }\n");
    }
    s.append("}\n");
    return s.toString();
  }
}
