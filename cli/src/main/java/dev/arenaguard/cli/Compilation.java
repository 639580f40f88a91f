package dev.arenaguard.cli;

import dev.arenaguard.sarif.ArenaGuardSarif;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;

/**
 * One run of javac over a {@link Unit}: with Error Prone running only the arena-guard checks (at
 * their default severities, or as the user's {@code -Xep} flags set them), or plain, to make the
 * classes that other units need when the checks' errors stopped javac before it wrote them.
 */
final class Compilation {
  private Compilation() {}

  /**
   * What a compilation found.
   *
   * @param findings the arena-guard diagnostics
   * @param compileErrors the other errors: the code does not compile
   * @param javacOutput what javac printed besides diagnostics (a crash, a plugin's message)
   */
  record Result(List<Finding> findings, List<Diagnostic<? extends JavaFileObject>> compileErrors, String javacOutput) {
    boolean compiles() {
      return compileErrors.isEmpty();
    }
  }

  /** Checks {@code unit}; the SARIF log, when asked for, gets a run named {@code sarifRun}. */
  static Result check(
      Unit unit,
      Map<String, Rule> rules,
      List<String> errorProneFlags,
      @Nullable Path sarif,
      String sarifRun,
      Map<URI, CharSequence> contents) {
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
      options.add("-Xplugin:" + ArenaGuardSarif.NAME + " " + sarif + " " + sarifRun);
    }
    options.addAll(List.of("-processorpath", System.getProperty("java.class.path")));
    return run(unit, options, rules, contents);
  }

  /** Compiles {@code unit} with plain javac, for its classes. */
  static Result classesOnly(Unit unit, Map<URI, CharSequence> contents) {
    return run(unit, new ArrayList<>(), Map.of(), contents);
  }

  private static Result run(Unit unit, List<String> options, Map<String, Rule> rules, Map<URI, CharSequence> contents) {
    options.addAll(List.of("-classpath", String.join(File.pathSeparator, unit.classpath())));
    options.addAll(List.of("-proc:none", "-implicit:none", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000"));
    try {
      Files.createDirectories(unit.output());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    options.addAll(List.of("-d", unit.output().toString()));

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
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter javacOutput = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(listener, Locale.ROOT, null)) {
      javac
          .getTask(javacOutput, files, listener, options, null, files.getJavaFileObjectsFromPaths(unit.sources()))
          .call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(findings, compileErrors, javacOutput.toString());
  }
}
