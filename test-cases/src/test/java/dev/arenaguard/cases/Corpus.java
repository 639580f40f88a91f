package dev.arenaguard.cases;

import dev.arenaguard.sarif.Finding;
import dev.arenaguard.sarif.Rule;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The corpus, compiled twice, once per JVM: with the checker as users run it ({@code javac
 * -Xplugin:ErrorProne}, plus the SARIF plugin), to read the compile verdicts; and with plain
 * javac, to run the programs (buggy programs do not compile under the checker).
 */
final class Corpus {
  private Corpus() {}

  static final Path TARGET = Path.of("target");
  static final Path SARIF = TARGET.resolve("corpus.sarif");

  /** What the checker said about the corpus. */
  record Checked(
      Map<String, Rule> present, Map<Path, List<Finding>> findings, List<String> otherDiagnostics, long millis) {

    List<Finding> of(Case c) {
      return findings.getOrDefault(c.source().toAbsolutePath().normalize(), List.of());
    }
  }

  private static List<Case> cases;
  private static Checked checked;
  private static Path classes;

  static synchronized List<Case> cases() {
    if (cases == null) {
      cases = Case.all();
    }
    return cases;
  }

  /** Compiles the corpus with Error Prone and every arena-guard check that is registered. */
  static synchronized Checked checked() {
    if (checked == null) {
      Map<String, Rule> present = Rule.present(Corpus.class.getClassLoader());
      Path out = TARGET.resolve("corpus-checked");
      List<String> options =
          List.of(
              "-XDcompilePolicy=simple",
              "--should-stop=ifError=FLOW",
              "-Xplugin:ErrorProne",
              "-Xplugin:ArenaGuardSarif " + SARIF,
              "-proc:none",
              "-implicit:none",
              "-classpath",
              System.getProperty("java.class.path"),
              // Error Prone loads plugin checks from the processor path only, as in a Maven build.
              "-processorpath",
              System.getProperty("java.class.path"),
              "-d",
              mkdirs(out).toString());
      try {
        Files.deleteIfExists(SARIF); // one run, this compilation's
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long start = System.nanoTime();
      List<Diagnostic<? extends JavaFileObject>> diagnostics = compile(options);
      long millis = (System.nanoTime() - start) / 1_000_000;
      Map<Path, List<Finding>> findings = new HashMap<>();
      List<String> others = new ArrayList<>();
      Map<URI, CharSequence> sources = new HashMap<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
        Optional<Finding> f = Finding.of(d, present, sources);
        if (f.isPresent()) {
          findings.computeIfAbsent(Path.of(f.get().file()).normalize(), p -> new ArrayList<>()).add(f.get());
        } else if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING) {
          others.add(d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ") + d.getMessage(Locale.ROOT));
        }
      }
      checked = new Checked(present, findings, others, millis);
    }
    return checked;
  }

  /** Compiles the corpus with plain javac, for running; fails on any compile error. */
  static synchronized Path classes() {
    if (classes == null) {
      Path out = TARGET.resolve("corpus-classes");
      List<Diagnostic<? extends JavaFileObject>> diagnostics =
          compile(
              List.of(
                  "-proc:none",
                  "-g",
                  "-classpath",
                  System.getProperty("java.class.path"),
                  "-d",
                  mkdirs(out).toString()));
      List<String> errors =
          diagnostics.stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
              .toList();
      if (!errors.isEmpty()) {
        throw new AssertionError("the corpus does not compile with plain javac:\n" + String.join("\n", errors));
      }
      classes = out;
    }
    return classes;
  }

  private static List<Diagnostic<? extends JavaFileObject>> compile(List<String> options) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(collector, Locale.ROOT, null)) {
      List<File> sources = cases().stream().map(c -> c.source().toFile()).toList();
      StringWriter output = new StringWriter();
      javac.getTask(output, files, collector, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
      if (!output.toString().isBlank()) {
        System.out.println(output);
      }
      return collector.getDiagnostics();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
