package dev.arenaguard.cli;

import dev.arenaguard.sarif.ArenaGuardSarif;
import dev.arenaguard.sarif.Finding;
import dev.arenaguard.sarif.Rule;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Runs the arena-guard checks over a source tree: compiles every {@code .java} file under the
 * given directories with javac and Error Prone running only the arena-guard checks (at their
 * default severities), prints each finding the way javac does — {@code file:line:col}, check,
 * message, the line with a caret, the suggested fix and the check's documentation page — and a
 * summary. Exit status: 0 without errors, 1 with an error (a finding of an ERROR check, or code
 * that does not compile), 2 for bad arguments.
 *
 * <pre>
 * arena-guard [DIR|FILE...] [--classpath CP] [--sarif FILE] [-XepOpt:...]
 * </pre>
 */
public final class ArenaGuardCli {
  private ArenaGuardCli() {}

  static final String USAGE =
      """
      usage: arena-guard [DIR|FILE...] [--classpath CP] [--sarif FILE] [-Xep...]
        DIR|FILE        Java sources to check: directories are searched for .java files
        --classpath CP  what the sources need to compile (the arena-guard annotations and runtime
                        are always on it)
        --sarif FILE    also write the findings as a SARIF 2.1.0 log
        -Xep...         passed to Error Prone, e.g. -XepOpt:ArenaGuard:StubFiles=models.java
      """;

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the command; returns its exit status. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    List<Path> roots = new ArrayList<>();
    List<String> classpath = new ArrayList<>();
    List<String> errorProneFlags = new ArrayList<>();
    Path sarif = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-h", "--help" -> {
          out.print(USAGE);
          return 0;
        }
        case "--classpath", "-cp", "--class-path", "--sarif" -> {
          if (i + 1 >= args.size()) {
            err.println("arena-guard: " + a + " needs a value");
            err.print(USAGE);
            return 2;
          }
          String value = args.get(++i);
          if (a.equals("--sarif")) {
            if (value.chars().anyMatch(Character::isWhitespace)) {
              // javac splits a plugin's arguments at white space.
              err.println("arena-guard: the SARIF file's path may not contain white space: " + value);
              return 2;
            }
            sarif = Path.of(value).toAbsolutePath();
          } else {
            classpath.add(value);
          }
        }
        default -> {
          if (a.startsWith("-Xep")) {
            errorProneFlags.add(a);
          } else if (a.startsWith("-")) {
            err.println("arena-guard: unknown option " + a);
            err.print(USAGE);
            return 2;
          } else if (!Files.exists(Path.of(a))) {
            err.println("arena-guard: no such file or directory: " + a);
            return 2;
          } else {
            roots.add(Path.of(a));
          }
        }
      }
    }
    if (roots.isEmpty()) {
      err.println("arena-guard: no sources given");
      err.print(USAGE);
      return 2;
    }
    List<Path> sources = javaFiles(roots);
    if (sources.isEmpty()) {
      err.println("arena-guard: no .java files in " + roots);
      return 2;
    }
    return check(sources, classpath, errorProneFlags, sarif, out);
  }

  private static int check(
      List<Path> sources, List<String> classpath, List<String> errorProneFlags, Path sarif, PrintStream out) {
    Map<String, Rule> rules = Rule.present(ArenaGuardCli.class.getClassLoader());
    List<String> options = new ArrayList<>();
    options.add("-XDcompilePolicy=simple");
    options.add("--should-stop=ifError=FLOW");
    StringBuilder errorProne = new StringBuilder("-Xplugin:ErrorProne -XepDisableAllChecks");
    for (String check : rules.keySet()) {
      errorProne.append(" -Xep:").append(check);
    }
    for (String flag : errorProneFlags) {
      errorProne.append(' ').append(flag);
    }
    options.add(errorProne.toString());
    if (sarif != null) {
      options.add("-Xplugin:" + ArenaGuardSarif.NAME + " " + sarif + " arena-guard/");
    }
    String ownPath = System.getProperty("java.class.path");
    List<String> cp = new ArrayList<>(classpath);
    cp.add(ownPath);
    options.addAll(List.of("-classpath", String.join(File.pathSeparator, cp)));
    options.addAll(List.of("-processorpath", ownPath, "-proc:none", "-implicit:none"));
    options.addAll(List.of("-Xmaxerrs", "100000", "-Xmaxwarns", "100000"));
    Path classes;
    try {
      classes = Files.createTempDirectory("arena-guard-classes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    options.addAll(List.of("-d", classes.toString()));

    Map<URI, CharSequence> contents = new HashMap<>();
    List<Finding> findings = new ArrayList<>();
    List<Diagnostic<? extends JavaFileObject>> compileErrors = new ArrayList<>();
    DiagnosticListener<JavaFileObject> listener =
        d -> {
          Optional<Finding> f = Finding.of(d, rules, contents);
          if (f.isPresent()) {
            findings.add(f.get());
          } else if (d.getKind() == Diagnostic.Kind.ERROR) {
            compileErrors.add(d);
          }
        };
    long start = System.nanoTime();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter javacOutput = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(listener, Locale.ROOT, null)) {
      javac
          .getTask(javacOutput, files, listener, options, null, files.getJavaFileObjectsFromPaths(sources))
          .call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(classes);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;

    Path cwd = Path.of("").toAbsolutePath();
    findings.sort(
        Comparator.comparing((Finding f) -> f.file().toString()).thenComparingInt(Finding::line).thenComparingInt(Finding::column));
    for (Finding f : findings) {
      Path file = Path.of(f.file());
      out.printf("%s:%d:%d: %s: [%s] %s%n", display(cwd, file), f.line(), f.column(), f.level(), f.check(), f.message());
      sourceLine(contents.get(f.file()), f.line())
          .ifPresent(
              line -> {
                // The caret under the column, keeping the line's tabs so that it lines up.
                String before = line.substring(0, Math.min(line.length(), Math.max(0, f.column() - 1)));
                out.println("    " + line + "\n    " + before.replaceAll("[^\t]", " ") + "^");
              });
      if (!f.suggestion().isEmpty()) {
        out.println("  fix: did you mean " + f.suggestion());
      }
      if (!f.link().isEmpty()) {
        out.println("  see " + f.link());
      }
    }
    for (Diagnostic<? extends JavaFileObject> d : compileErrors) {
      String where = d.getSource() == null ? "" : display(cwd, Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ":" + d.getColumnNumber() + ": ";
      out.println(where + "error: " + d.getMessage(Locale.ROOT));
    }
    if (!javacOutput.toString().isBlank()) {
      out.print(javacOutput);
    }

    Map<String, long[]> perCheck = new TreeMap<>();
    long errors = compileErrors.size();
    long warnings = 0;
    for (Finding f : findings) {
      perCheck.computeIfAbsent(f.check(), k -> new long[1])[0]++;
      if (f.level().equals("error")) {
        errors++;
      } else if (f.level().equals("warning")) {
        warnings++;
      }
    }
    out.println();
    out.printf(
        "arena-guard: %d %s checked in %.1f s: %d %s (%d %s, %d %s)%n",
        sources.size(),
        sources.size() == 1 ? "file" : "files",
        millis / 1000.0,
        findings.size(),
        findings.size() == 1 ? "finding" : "findings",
        errors - compileErrors.size(),
        errors - compileErrors.size() == 1 ? "error" : "errors",
        warnings,
        warnings == 1 ? "warning" : "warnings");
    for (String check : rules.keySet()) {
      long n = perCheck.getOrDefault(check, new long[1])[0];
      out.printf("  %-24s %3d  (%s)%n", check, n, rules.get(check).level());
    }
    if (!compileErrors.isEmpty()) {
      out.printf(
          "%d compile %s: the checks need code that compiles (is a --classpath missing?)%n",
          compileErrors.size(),
          compileErrors.size() == 1 ? "error" : "errors");
    }
    if (sarif != null) {
      out.println("SARIF log: " + display(cwd, sarif));
    }
    return errors > 0 ? 1 : 0;
  }

  private static List<Path> javaFiles(List<Path> roots) {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (Files.isRegularFile(root)) {
        files.add(root);
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  private static Optional<String> sourceLine(CharSequence content, int line) {
    if (content == null) {
      return Optional.empty();
    }
    return content.toString().lines().skip(line - 1L).findFirst();
  }

  private static String display(Path cwd, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it
    }
  }
}
