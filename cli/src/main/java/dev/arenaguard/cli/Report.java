package dev.arenaguard.cli;

import dev.arenaguard.sarif.Finding;
import dev.arenaguard.sarif.Rule;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/**
 * What the command prints on standard output: each finding as javac prints it (the line with a
 * caret, the fix, the documentation page), one line for each unit that does not compile, and the
 * summary.
 */
final class Report {
  private final PrintStream out;
  private final Path cwd = Path.of("").toAbsolutePath();

  Report(PrintStream out) {
    this.out = out;
  }

  void findings(List<Finding> findings, Map<URI, CharSequence> contents) {
    List<Finding> sorted =
        findings.stream()
            .sorted(
                Comparator.comparing((Finding f) -> f.file().toString())
                    .thenComparingInt(Finding::line)
                    .thenComparingInt(Finding::column))
            .toList();
    for (Finding f : sorted) {
      out.printf("%s:%d:%d: %s: [%s] %s%n", display(Path.of(f.file())), f.line(), f.column(), f.level(), f.check(), f.message());
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
  }

  /** One line for a unit that does not compile: how many errors, and the first. */
  void doesNotCompile(Unit unit, List<Diagnostic<? extends JavaFileObject>> errors, String hint) {
    Diagnostic<? extends JavaFileObject> first = errors.get(0);
    String where =
        first.getSource() == null
            ? ""
            : display(Path.of(first.getSource().toUri())) + ":" + first.getLineNumber() + ":" + first.getColumnNumber() + ": ";
    String message = String.join(", ", first.getMessage(Locale.ROOT).strip().lines().map(String::strip).toList());
    out.printf(
        "%s %s not compile: %s; the first: %s%s%s%n",
        unit.name(),
        unit.name().equals(ArenaGuardCli.PLAIN) ? "do" : "does",
        count(errors.size(), "error"),
        where,
        message.replaceAll("\\s+", " "),
        hint);
  }

  void notChecked(Unit unit, Unit broken) {
    out.printf("%s was not checked: it needs %s, which does not compile%n", unit.name(), broken.name());
  }

  /** The summary of a run. */
  record Summary(
      int files,
      int modules,
      long millis,
      List<Finding> shown,
      Map<String, Rule> rules,
      int inBaseline,
      int stale,
      @Nullable Path baseline,
      boolean written,
      int writtenCount,
      int notCompiling,
      @Nullable Path sarif) {}

  void summary(Summary s) {
    Map<String, long[]> perCheck = new TreeMap<>();
    long errors = 0;
    long warnings = 0;
    for (Finding f : s.shown()) {
      perCheck.computeIfAbsent(f.check(), k -> new long[1])[0]++;
      if (f.level().equals("error")) {
        errors++;
      } else if (f.level().equals("warning")) {
        warnings++;
      }
    }
    out.println();
    out.printf(
        "arena-guard: %s%s checked in %.1f s: %s (%s, %s)%n",
        count(s.files(), "file"),
        s.modules() > 0 ? " of " + count(s.modules(), "module") : "",
        s.millis() / 1000.0,
        count(s.shown().size(), "finding"),
        count(errors, "error"),
        count(warnings, "warning"));
    for (String check : s.rules().keySet()) {
      long n = perCheck.getOrDefault(check, new long[1])[0];
      out.printf("  %-24s %3d  (%s)%n", check, n, s.rules().get(check).level());
    }
    if (s.written()) {
      out.printf(
          "%s written to the baseline %s (%s in all): only new findings fail from now on (--baseline %s,"
              + " or -XepOpt:ArenaGuard:Baseline=%s in the build)%n",
          count(s.writtenCount(), "finding"),
          display(s.baseline()),
          count(s.inBaseline(), "entry", "entries"),
          display(s.baseline()),
          s.baseline());
    } else if (s.baseline() != null) {
      out.printf("%s in the baseline %s, not shown%n", count(s.inBaseline(), "finding"), display(s.baseline()));
      if (s.stale() > 0) {
        out.printf(
            "%s of the baseline matched no finding (stale: the code was fixed or changed): write the baseline again"
                + " to drop %s (--write-baseline %s)%n",
            count(s.stale(), "entry", "entries"),
            s.stale() == 1 ? "it" : "them",
            display(s.baseline()));
      }
    }
    if (s.notCompiling() > 0) {
      out.printf(
          "%s not checked: the checks need code that compiles%n",
          s.notCompiling() == 1 ? "1 source set (a module's main or test sources) was" : s.notCompiling() + " source sets (a module's main or test sources) were");
    }
    if (s.sarif() != null) {
      out.println("SARIF log: " + display(s.sarif()));
    }
  }

  static String count(long n, String one) {
    return count(n, one, one + "s");
  }

  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static Optional<String> sourceLine(@Nullable CharSequence content, int line) {
    if (content == null) {
      return Optional.empty();
    }
    return content.toString().lines().skip(line - 1L).findFirst();
  }

  String display(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }
}
