package dev.arenaguard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated corpus compiles, and has the shape the compile-timing script relies on. */
class ArenaCorpusTest {
  @TempDir Path dir;

  @Test
  void theCorpusCompilesWithPlantedBugsMarked() throws IOException {
    List<Path> files = new ArrayList<>(ArenaCorpus.writeClasses(dir.resolve("src"), 76));
    files.add(ArenaCorpus.writeMethods(dir.resolve("src"), 5_000, 1));
    files.add(ArenaCorpus.writeMethods(dir.resolve("src"), 500, 3));

    List<Diagnostic<? extends JavaFileObject>> errors = compile(files, dir.resolve("out"));
    assertTrue(errors.isEmpty(), errors.toString());
    try (Stream<Path> classes = Files.walk(dir.resolve("out"))) {
      // 76 bindings with their Pair record and Context class, and the two long-method classes.
      assertEquals(76 * 3 + 2, classes.filter(p -> p.toString().endsWith(".class")).count());
    }

    // Bindings 0, 25, 50, 75: an escape, a use after close, an arena never closed, a long-lived
    // owner (field and allocation).
    List<String> marked = new ArrayList<>();
    for (Path f : files) {
      Files.readAllLines(f).stream()
          .filter(l -> l.contains("// BUG: "))
          .forEach(l -> marked.add(l.substring(l.indexOf("// BUG: ") + 8)));
    }
    assertEquals(
        List.of("ArenaEscape", "ArenaLongLivedOwner", "ArenaLongLivedOwner", "ArenaNotClosed",
            "ArenaUseAfterClose"),
        marked.stream().sorted().toList());
    assertEquals(marked.size(), ArenaCorpus.plantedDiagnostics(76));
  }

  @Test
  void aLongMethodHasExactlyTheStatementsAsked() throws IOException {
    String source = Files.readString(ArenaCorpus.writeMethods(dir, 5_000, 2));
    String first = source.substring(source.indexOf("run0(Arena arena) {"), source.indexOf("run1("));
    long statements = first.lines().filter(l -> l.strip().endsWith(";")).count();
    assertEquals(5_000, statements);
  }

  private static List<Diagnostic<? extends JavaFileObject>> compile(List<Path> files, Path out)
      throws IOException {
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, null)) {
      List<String> options =
          List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none");
      boolean ok =
          javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
      List<Diagnostic<? extends JavaFileObject>> errors =
          diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
      assertEquals(ok, errors.isEmpty());
      return errors;
    }
  }
}
